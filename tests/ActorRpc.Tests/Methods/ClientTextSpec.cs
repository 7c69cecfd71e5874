using ActorRpc.Methods.Errors;

namespace ActorRpc.Tests.Methods;

/// <summary>The bound on client text echoed into logs and errors.</summary>
public sealed class ClientTextSpec
{
    [Fact]
    public void Bound_ShortText_Unchanged()
    {
        var text = new string('a', ClientText.MaxLength);
        Assert.Same(text, ClientText.Bound(text));
        Assert.Equal("\"1\"", ClientText.Bound("\"1\""u8));
    }

    [Fact]
    public void Bound_LongText_PrefixAndMarker()
    {
        var bounded = ClientText.Bound(new string('a', 1_000));
        Assert.Equal(new string('a', 128) + "…(+872 chars)", bounded);

        var utf8 = System.Text.Encoding.UTF8.GetBytes(new string('é', 1_000)); // 2 bytes each
        Assert.Equal(new string('é', 128) + "…(+1744 bytes)", ClientText.Bound(utf8));
    }

    [Fact]
    public void Bound_SurrogatePairAtTheCut_NotSplit()
    {
        var text = new string('a', 127) + "😀" + new string('b', 10);
        Assert.Equal(new string('a', 127) + "…(+12 chars)", ClientText.Bound(text));
    }
}
