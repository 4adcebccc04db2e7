using System.Globalization;
using CsCheck;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

/// <summary>Properties of <see cref="DurationText"/> over random values (DurationTextTests holds the named examples).</summary>
public sealed class DurationTextPropertyTests
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
        [("ms", TimeSpan.FromMilliseconds(1)), ("s", TimeSpan.FromSeconds(1)), ("m", TimeSpan.FromMinutes(1)), ("h", TimeSpan.FromHours(1)), ("d", TimeSpan.FromDays(1))];

    private static readonly Gen<string> Padding = Gen.OneOf("", " ", "  ", "\t");

    [Fact]
    public void TryParse_ConstantFormat_RoundTrips() =>
        Gen.Long[0, TimeSpan.FromDays(100_000).Ticks].Select(TimeSpan.FromTicks).Sample(value =>
        {
            Assert.True(DurationText.TryParse(value.ToString("c", CultureInfo.InvariantCulture), out var parsed));
            Assert.Equal(value, parsed);
        }, iter: 10_000);

    [Fact]
    public void TryParse_WholeNumberWithUnit_IsThatManyUnits() =>
        Gen.Select(Gen.Int[0, 1_000_000], Gen.OneOf(Units), Padding, Padding, Gen.OneOf("", " ")).Sample((n, unit, before, after, gap) =>
        {
            Assert.True(DurationText.TryParse($"{before}{n}{gap}{unit.Unit}{after}", out var parsed));
            Assert.Equal(unit.Size * n, parsed);
        }, iter: 10_000);

    [Fact]
    public void TryParse_BareNumber_IsRefused() =>
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.OneOf("", ".5", ".0", ".25")).Sample((n, fraction) =>
            Assert.False(DurationText.TryParse($"{n}{fraction}", out _)), iter: 10_000);

    [Fact]
    public void TryParse_NegativeNumberWithUnit_IsRefused() =>
        Gen.Select(Gen.Int[1, 1_000_000], Gen.OneOf(Units)).Sample((n, unit) =>
            Assert.False(DurationText.TryParse($"-{n}{unit.Unit}", out _)), iter: 2_000);

    [Fact]
    public void TryParse_TwoFieldClock_IsRefused() => // "1:30" is 1 h 30 min to TimeSpan, 1 min 30 s to many readers
        Gen.Select(Gen.Int[0, 23], Gen.Int[0, 59]).Sample((a, b) =>
            Assert.False(DurationText.TryParse($"{a}:{b:00}", out _)), iter: 2_000);

    [Fact]
    public void TryParse_AnyText_NeverThrows() =>
        Gen.String.Sample(text => { DurationText.TryParse(text, out _); }, iter: 20_000);
}
