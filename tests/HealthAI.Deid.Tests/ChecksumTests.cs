using HealthAI.Deid.Detection.Validation;

namespace HealthAI.Deid.Tests;

public sealed class ChecksumTests
{
    [Theory]
    [InlineData("4111 1111 1111 1111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", true)]
    public void Luhn(string value, bool valid) => Assert.Equal(valid, Checksums.IsLuhnValid(value));

    [Theory]
    [InlineData("219-09-9998", true)]
    [InlineData("000-12-3456", false)]
    [InlineData("666-12-3456", false)]
    [InlineData("912-12-3456", false)]
    [InlineData("123-00-4567", false)]
    [InlineData("123-45-0000", false)]
    [InlineData("111-11-1111", false)]
    [InlineData("123-45-6789", false)]
    public void Ssn_structure(string value, bool valid) => Assert.Equal(valid, Checksums.IsPlausibleSsn(value));

    [Theory]
    [InlineData("1234567893", true)]
    [InlineData("1234567890", false)]
    [InlineData("3234567893", false)]
    [InlineData("1111111111", false)]
    public void Npi(string value, bool valid) => Assert.Equal(valid, Checksums.IsValidNpi(value));
}
