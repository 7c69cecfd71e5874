using System.Globalization;
using SkiaSharp;

namespace ActorRpc.Bench.Load;

/// <summary>
/// results.png: two panels side by side, requests/s and server CPU µs per request against the number of
/// connections (depth 16), one line per server. Rendered with ScottPlot on SkiaSharp, headless.
/// </summary>
internal static class Chart
{
    public static void Write(Report report, string path)
    {
        var cells = report.Cells("rpc")
            .Select(c => c.Split('x'))
            .Where(p => p[1] == "16")
            .Select(p => int.Parse(p[0], CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
        if (cells.Length == 0)
        {
            return;
        }

        var rps = new ScottPlot.Plot();
        var cpu = new ScottPlot.Plot();

        // Connections grow by ×4 and ×16: evenly spaced categories read better than a linear axis.
        var positions = cells.Select((_, i) => (double)i).ToArray();
        var labels = cells.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (var server in new[] { Matrix.ActorRpc, Matrix.StreamJsonRpc, Matrix.Raw })
        {
            Line(rps, server, positions, cells.Select(c => report.Median("rpc", $"{c}x16", server, "RequestsPerSecond") ?? double.NaN).ToArray());
            Line(cpu, server, positions, cells.Select(c => report.Median("rpc", $"{c}x16", server, "ServerCpuUsPerRequest") ?? double.NaN).ToArray());
        }

        Style(rps, "ping, depth 16: requests/s", "requests/s", positions, labels, ScottPlot.Alignment.LowerRight);
        Style(cpu, "ping, depth 16: server CPU per request", "server CPU µs/request", positions, labels, ScottPlot.Alignment.UpperRight);
        SideBySide(path, 700, 550, rps, cpu);
    }

    /// <summary>Renders each plot to PNG and draws them next to each other on one Skia surface.</summary>
    private static void SideBySide(string path, int width, int height, params ScottPlot.Plot[] plots)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width * plots.Length, height));
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < plots.Length; i++)
        {
            using var bitmap = SKBitmap.Decode(plots[i].GetImage(width, height).GetImageBytes(ScottPlot.ImageFormat.Png));
            surface.Canvas.DrawBitmap(bitmap, i * width, 0);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static void Line(ScottPlot.Plot plot, string server, double[] xs, double[] ys)
    {
        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = server;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 8;
    }

    private static void Style(ScottPlot.Plot plot, string title, string yLabel, double[] positions, string[] labels, ScottPlot.Alignment legend)
    {
        plot.Title(title);
        plot.XLabel("connections");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.SetTicks(positions, labels);
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimits(-0.3, positions[^1] + 0.3, 0, limits.Top * 1.1);
        plot.ShowLegend(legend);
    }
}
