using System.Globalization;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>
/// The median and quartiles of measurements taken in pairs, the summary the paired benchmarks print: on a machine whose speed
/// drifts, the spread of the pairs says how far one figure can be trusted. Nearest rank, so every figure is one that was
/// measured.
/// </summary>
public readonly record struct Quartiles(double Lower, double Median, double Upper)
{
    public static Quartiles Of(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        if (sorted.Length == 0)
        {
            throw new ArgumentException("Quartiles of nothing: no values were measured.", nameof(values));
        }

        double At(double quantile) => sorted[(int)Math.Round(quantile * (sorted.Length - 1))];
        return new Quartiles(At(0.25), At(0.5), At(0.75));
    }

    /// <summary>"median (lower..upper)", each in <paramref name="format"/>.</summary>
    public string ToString(string format) => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Lower.ToString(format, CultureInfo.InvariantCulture)}..{Upper.ToString(format, CultureInfo.InvariantCulture)})");
}
