using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Webhooks.Core.Benchmarks;

/// <summary>
/// The mean time of a case relative to the same benchmark with one parameter at a baseline value, all else equal.
/// BenchmarkDotNet's own baseline compares methods, not parameter values.
/// </summary>
internal sealed class ParameterRatioColumn(string parameterName, object baselineValue) : IColumn
{
    public string Id => $"{nameof(ParameterRatioColumn)}.{parameterName}";

    public string ColumnName => $"Ratio vs {parameterName}={baselineValue}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Baseline;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Mean relative to the same benchmark with {parameterName}={baselineValue}";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.BenchmarksCases.FirstOrDefault(candidate => IsBaselineOf(candidate, benchmarkCase));
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var baselineMean = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
        return mean is { } value && baselineMean is > 0 ? (value / baselineMean.Value).ToString("0.00", style.CultureInfo) : "?";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private bool IsBaselineOf(BenchmarkCase candidate, BenchmarkCase benchmarkCase) =>
        candidate.Descriptor == benchmarkCase.Descriptor
        && candidate.Job == benchmarkCase.Job
        && Equals(candidate.Parameters[parameterName], baselineValue)
        && candidate.Parameters.Items.All(parameter =>
            parameter.Name == parameterName || Equals(parameter.Value, benchmarkCase.Parameters[parameter.Name]));
}
