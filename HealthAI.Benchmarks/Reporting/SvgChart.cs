using System.Globalization;
using System.Security;
using System.Text;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>One series of a chart: a value per category (null where the series has no point there).</summary>
public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<double?> Values, string? Dash = null);

/// <summary>
/// Line and grouped-bar charts as plain SVG 1.1, written by hand because no plotting package restores here. Axes start at
/// zero and end at a "nice" value (1, 2 or 5 × 10^k steps) so charts of different runs read the same way.
/// </summary>
public static class SvgChart
{
    private const int Width = 760;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 210;   // room for the legend
    private const int Top = 50;
    private const int Bottom = 60;

    public static string Line(string title, string yLabel, string xLabel, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        var (svg, scale) = Begin(title, yLabel, xLabel, categories, series);
        for (var s = 0; s < series.Count; s++)
        {
            var points = new List<string>();
            var item = series[s];
            for (var c = 0; c < categories.Count; c++)
            {
                if (c < item.Values.Count && item.Values[c] is { } value)
                {
                    var x = CategoryCentre(c, categories.Count);
                    var y = scale(value);
                    points.Add(F($"{x:F1},{y:F1}"));
                    svg.AppendLine(F($"  <circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"3.5\" fill=\"{Escape(item.Colour)}\"><title>{Escape(item.Name)}: {value:G4}</title></circle>"));
                }
            }

            if (points.Count > 1)
            {
                var dash = item.Dash is null ? string.Empty : $" stroke-dasharray=\"{Escape(item.Dash)}\"";
                svg.AppendLine($"  <polyline fill=\"none\" stroke=\"{Escape(item.Colour)}\" stroke-width=\"2\"{dash} points=\"{string.Join(' ', points)}\"/>");
            }
        }

        return End(svg, series);
    }

    public static string Bars(string title, string yLabel, string xLabel, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        var (svg, scale) = Begin(title, yLabel, xLabel, categories, series);
        var groupWidth = PlotWidth / (double)Math.Max(1, categories.Count);
        var barWidth = groupWidth * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                if (c >= series[s].Values.Count || series[s].Values[c] is not { } value)
                {
                    continue;
                }

                var x = Left + (groupWidth * c) + (groupWidth * 0.1) + (barWidth * s);
                var y = scale(value);
                svg.AppendLine(F($"  <rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{barWidth:F1}\" height=\"{Top + PlotHeight - y:F1}\" fill=\"{Escape(series[s].Colour)}\"><title>{Escape(series[s].Name)}: {value:G4}</title></rect>"));
                svg.AppendLine(F($"  <text x=\"{x + (barWidth / 2):F1}\" y=\"{y - 4:F1}\" font-size=\"10\" text-anchor=\"middle\">{value:0.#}</text>"));
            }
        }

        return End(svg, series);
    }

    /// <summary>The smallest 1/2/5 × 10^k step giving at most 6 ticks, and the axis maximum it implies.</summary>
    public static (double Max, double Step) NiceAxis(double dataMax)
    {
        if (!(dataMax > 0) || double.IsInfinity(dataMax))
        {
            return (1, 0.2);
        }

        var raw = dataMax / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(candidate => candidate >= raw);
        return (Math.Ceiling(dataMax / step) * step, step);
    }

    private const int PlotWidth = Width - Left - Right;
    private const int PlotHeight = Height - Top - Bottom;

    private static double CategoryCentre(int index, int count) => Left + (PlotWidth * (index + 0.5) / Math.Max(1, count));

    private static (StringBuilder Svg, Func<double, double> Scale) Begin(
        string title, string yLabel, string xLabel, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        var dataMax = series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        var (axisMax, step) = NiceAxis(dataMax);
        double Scale(double value) => Top + PlotHeight - (PlotHeight * Math.Clamp(value, 0, axisMax) / axisMax);

        var svg = new StringBuilder();
        svg.AppendLine(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">"));
        svg.AppendLine(F($"  <rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        svg.AppendLine(F($"  <text x=\"{Width / 2}\" y=\"28\" font-size=\"16\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(title)}</text>"));
        for (var tick = 0.0; tick <= axisMax + (step / 2); tick += step)
        {
            var y = Scale(tick);
            svg.AppendLine(F($"  <line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + PlotWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>"));
            svg.AppendLine(F($"  <text x=\"{Left - 6}\" y=\"{y + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{tick:0.##}</text>"));
        }

        svg.AppendLine(F($"  <line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + PlotHeight}\" stroke=\"black\"/>"));
        svg.AppendLine(F($"  <line x1=\"{Left}\" y1=\"{Top + PlotHeight}\" x2=\"{Left + PlotWidth}\" y2=\"{Top + PlotHeight}\" stroke=\"black\"/>"));
        for (var c = 0; c < categories.Count; c++)
        {
            svg.AppendLine(F($"  <text x=\"{CategoryCentre(c, categories.Count):F1}\" y=\"{Top + PlotHeight + 18}\" font-size=\"12\" text-anchor=\"middle\">{Escape(categories[c])}</text>"));
        }

        svg.AppendLine(F($"  <text x=\"{Left + (PlotWidth / 2)}\" y=\"{Height - 15}\" font-size=\"12\" text-anchor=\"middle\">{Escape(xLabel)}</text>"));
        svg.AppendLine(F($"  <text x=\"18\" y=\"{Top + (PlotHeight / 2)}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 18 {Top + (PlotHeight / 2)})\">{Escape(yLabel)}</text>"));
        return (svg, Scale);
    }

    private static string End(StringBuilder svg, IReadOnlyList<ChartSeries> series)
    {
        for (var s = 0; s < series.Count; s++)
        {
            var y = Top + 10 + (s * 20);
            var x = Width - Right + 15;
            var dash = series[s].Dash is null ? string.Empty : $" stroke-dasharray=\"{Escape(series[s].Dash!)}\"";
            svg.AppendLine(F($"  <line x1=\"{x}\" y1=\"{y}\" x2=\"{x + 24}\" y2=\"{y}\" stroke=\"{Escape(series[s].Colour)}\" stroke-width=\"3\"{dash}/>"));
            svg.AppendLine(F($"  <text x=\"{x + 30}\" y=\"{y + 4}\" font-size=\"11\">{Escape(series[s].Name)}</text>"));
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
