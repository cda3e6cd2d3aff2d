using System.Buffers;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>Character sets the recognizers share, built once.</summary>
internal static class CharacterClasses
{
    /// <summary>A-Z and a-z: a word made only of these is a plain word (an acronym, a unit), not a code or a number.</summary>
    public static readonly SearchValues<char> AsciiLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
