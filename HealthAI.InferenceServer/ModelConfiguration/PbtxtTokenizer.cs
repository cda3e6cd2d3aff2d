using System.Text;

namespace HealthAI.InferenceServer.ModelConfiguration;

/// <summary>A malformed config.pbtxt; the message starts with <c>file:line:column:</c> like protoc's.</summary>
public sealed class PbtxtException(string file, int line, int column, string reason)
    : Exception($"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Reason { get; } = reason;
}

internal enum PbtxtTokenKind
{
    Identifier,
    Number,
    String,
    Symbol,
    End,
}

internal readonly record struct PbtxtToken(PbtxtTokenKind Kind, string Text, int Line, int Column);

/// <summary>Splits protobuf text format into tokens, tracking line and column (1-based) for error messages.</summary>
internal sealed class PbtxtTokenizer(string text, string file)
{
    private int _position;
    private int _line = 1;
    private int _column = 1;
    private PbtxtToken? _peeked;

    public string File => file;

    public PbtxtToken Peek() => _peeked ??= ReadToken();

    public PbtxtToken Next()
    {
        var token = Peek();
        _peeked = null;
        return token;
    }

    public PbtxtException Error(PbtxtToken at, string reason) => new(file, at.Line, at.Column, reason);

    private PbtxtToken ReadToken()
    {
        SkipWhitespaceAndComments();
        if (_position >= text.Length)
        {
            return new PbtxtToken(PbtxtTokenKind.End, "end of file", _line, _column);
        }

        int line = _line, column = _column;
        var c = text[_position];
        if (char.IsLetter(c) || c == '_')
        {
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '.'))
            {
                Advance();
            }

            return new PbtxtToken(PbtxtTokenKind.Identifier, text[start.._position], line, column);
        }

        if (char.IsDigit(c) || ((c is '-' or '+' or '.') && _position + 1 < text.Length && (char.IsDigit(text[_position + 1]) || text[_position + 1] == '.')))
        {
            var start = _position;
            Advance();
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '.' or '+' or '-')
                   && !(text[_position] is '+' or '-' && text[_position - 1] is not ('e' or 'E')))
            {
                Advance();
            }

            return new PbtxtToken(PbtxtTokenKind.Number, text[start.._position], line, column);
        }

        if (c is '"' or '\'')
        {
            return new PbtxtToken(PbtxtTokenKind.String, ReadString(c, line, column), line, column);
        }

        if (c is '{' or '}' or '[' or ']' or ':' or ',' or ';' or '<' or '>')
        {
            Advance();
            return new PbtxtToken(PbtxtTokenKind.Symbol, c.ToString(), line, column);
        }

        throw new PbtxtException(file, line, column, $"unexpected character '{c}'");
    }

    private string ReadString(char quote, int line, int column)
    {
        Advance();
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= text.Length || text[_position] == '\n')
            {
                throw new PbtxtException(file, line, column, "unterminated string");
            }

            var c = text[_position];
            Advance();
            if (c == quote)
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= text.Length)
            {
                throw new PbtxtException(file, line, column, "unterminated string");
            }

            var escaped = text[_position];
            Advance();
            builder.Append(escaped switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                '\\' or '\'' or '"' => escaped,
                _ => throw new PbtxtException(file, _line, _column - 1, $"unknown escape '\\{escaped}'"),
            });
        }
    }

    private void SkipWhitespaceAndComments()
    {
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '#')
            {
                while (_position < text.Length && text[_position] != '\n')
                {
                    Advance();
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    private void Advance()
    {
        if (text[_position] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _position++;
    }
}
