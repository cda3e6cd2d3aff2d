namespace HealthAI.Deid.Detection.Validation;

/// <summary>Structural checks for identifiers. A failed check lowers confidence; callers decide whether it drops a candidate.</summary>
public static class Checksums
{
    /// <summary>Luhn mod-10 over the digits of <paramref name="value"/> (other characters are skipped).</summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> value)
    {
        int sum = 0, count = 0;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            var c = value[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var digit = c - '0';
            if ((count & 1) == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            count++;
        }

        return count > 1 && sum % 10 == 0;
    }

    /// <summary>
    /// US SSN structure: area not 000, 666 or 900-999; group not 00; serial not 0000; not all one digit; not a well-known
    /// sample number. Accepts 9 digits with or without consistent '-' or ' ' delimiters.
    /// </summary>
    public static bool IsPlausibleSsn(ReadOnlySpan<char> value)
    {
        Span<char> digits = stackalloc char[9];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 9)
                {
                    return false;
                }

                digits[n++] = c;
            }
        }

        if (n != 9)
        {
            return false;
        }

        var area = ((digits[0] - '0') * 100) + ((digits[1] - '0') * 10) + (digits[2] - '0');
        if (area is 0 or 666 or >= 900)
        {
            return false;
        }

        if (digits[3..5].SequenceEqual("00") || digits[5..].SequenceEqual("0000"))
        {
            return false;
        }

        if (!digits.ContainsAnyExcept(digits[0]))
        {
            return false;
        }

        return !digits.SequenceEqual("123456789") && !digits.SequenceEqual("078051120") && !digits.SequenceEqual("219099999");
    }

    /// <summary>US National Provider Identifier: 10 digits starting 1 or 2, Luhn over "80840" + the number.</summary>
    public static bool IsValidNpi(ReadOnlySpan<char> value)
    {
        if (value.Length != 10 || (value[0] != '1' && value[0] != '2') || value.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        if (!value.ContainsAnyExcept(value[0]))
        {
            return false;
        }

        Span<char> prefixed = stackalloc char[15];
        "80840".CopyTo(prefixed);
        value.CopyTo(prefixed[5..]);
        return IsLuhnValid(prefixed);
    }
}
