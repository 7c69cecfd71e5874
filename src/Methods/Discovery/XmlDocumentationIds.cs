using System.Reflection;
using System.Text;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// The member ids the C# compiler writes into XML documentation files: <c>M:Ns.Outer.Inner`1.Method``1(System.Int32,`0,``0[],System.Nullable{System.Int64}@)</c>.
/// Nested types are joined with a dot, generic types carry their arity (<c>`1</c>), and in a
/// signature generic arguments are in braces, a type's type parameters <c>`n</c> and a method's <c>``n</c>.
/// </summary>
internal static class XmlDocumentationIds
{
    /// <summary>The id of <paramref name="method"/>.</summary>
    public static string Of(MethodInfo method)
    {
        // A method of a closed generic class (Handlers<Foo>) is documented once, on the definition (Handlers`1), with `0 for T.
        if (method.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } closed
            && MethodBase.GetMethodFromHandle(method.MethodHandle, closed.GetGenericTypeDefinition().TypeHandle) is MethodInfo open)
        {
            method = open;
        }

        var id = new StringBuilder("M:").Append(TypeName(method.DeclaringType!)).Append('.').Append(method.Name.Replace('.', '#'));
        if (method.IsGenericMethod)
        {
            id.Append("``").Append(method.GetGenericArguments().Length);
        }

        // The definition's parameters: a closed generic method is documented once, with ``0 for its type parameters.
        var definition = method.IsGenericMethod ? method.GetGenericMethodDefinition() : method;
        var parameters = definition.GetParameters();
        if (parameters.Length > 0)
        {
            id.Append('(');
            for (var i = 0; i < parameters.Length; i++)
            {
                if (i > 0)
                {
                    id.Append(',');
                }

                AppendSignatureType(id, parameters[i].ParameterType);
            }

            id.Append(')');
        }

        return id.ToString();
    }

    /// <summary>The name of a type definition as ids write it: <c>Ns.Outer`1.Inner</c>.</summary>
    public static string TypeName(Type type)
    {
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            type = type.GetGenericTypeDefinition();
        }

        var name = type.Name;
        if (type.DeclaringType is { } outer)
        {
            return TypeName(outer) + "." + name;
        }

        return string.IsNullOrEmpty(type.Namespace) ? name : type.Namespace + "." + name;
    }

    private static void AppendSignatureType(StringBuilder id, Type type)
    {
        if (type.IsByRef)
        {
            AppendSignatureType(id, type.GetElementType()!);
            id.Append('@');
            return;
        }

        if (type.IsPointer)
        {
            AppendSignatureType(id, type.GetElementType()!);
            id.Append('*');
            return;
        }

        if (type.IsArray)
        {
            AppendSignatureType(id, type.GetElementType()!);
            var rank = type.GetArrayRank();
            id.Append(rank == 1 ? "[]" : "[" + string.Join(',', Enumerable.Repeat("0:", rank)) + "]");
            return;
        }

        if (type.IsGenericParameter)
        {
            id.Append(type.DeclaringMethod is null ? "`" : "``").Append(type.GenericParameterPosition);
            return;
        }

        if (type.IsGenericType)
        {
            // Ns.Outer{System.Int32}.Inner{System.String}: each level carries its own arguments.
            var arguments = type.GetGenericArguments();
            AppendConstructed(id, type.GetGenericTypeDefinition(), arguments);
            return;
        }

        id.Append(TypeName(type));
    }

    private static void AppendConstructed(StringBuilder id, Type definition, Type[] arguments)
    {
        var own = definition.GetGenericArguments().Length;
        var inherited = 0;
        if (definition.DeclaringType is { } outer)
        {
            inherited = outer.GetGenericArguments().Length;
            if (inherited > 0)
            {
                AppendConstructed(id, outer, arguments[..inherited]);
            }
            else
            {
                id.Append(TypeName(outer));
            }

            id.Append('.');
        }
        else if (!string.IsNullOrEmpty(definition.Namespace))
        {
            id.Append(definition.Namespace).Append('.');
        }

        var name = definition.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        id.Append(tick >= 0 ? name[..tick] : name);
        if (own > inherited)
        {
            id.Append('{');
            for (var i = inherited; i < own; i++)
            {
                if (i > inherited)
                {
                    id.Append(',');
                }

                AppendSignatureType(id, arguments[i]);
            }

            id.Append('}');
        }
    }
}
