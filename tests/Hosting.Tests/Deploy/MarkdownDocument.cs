using System.Text;
using System.Text.RegularExpressions;

namespace Replicator.Hosting.Deploy.Tests;

/// <summary>
/// What a markdown file refers to, as GitHub renders it: its links (inline and reference
/// definitions, images included), its inline code spans, and the anchors of its headings.
/// Fenced code blocks are text, not markdown: nothing in them is a link or a code span.
/// </summary>
internal sealed partial class MarkdownDocument
{
    private readonly List<(int Line, string Text)> _prose = [];

    public MarkdownDocument(string path, string text)
    {
        Path = path;
        string? fence = null;
        string[] lines = text.Split('\n');
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            string trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal)) fence = null;
                continue;
            }
            _prose.Add((i + 1, line));
            if (Heading().Match(line) is { Success: true } heading)
            {
                // GitHub numbers repeated headings: foo, foo-1, foo-2.
                string slug = Slug(heading.Groups["text"].Value);
                int n = seen.TryGetValue(slug, out int count) ? count : 0;
                seen[slug] = n + 1;
                anchors.Add(n == 0 ? slug : $"{slug}-{n}");
            }
            foreach (Match a in HtmlAnchor().Matches(line)) anchors.Add(a.Groups["id"].Value);
        }
        Anchors = anchors;
    }

    /// <summary>Path relative to the repository root.</summary>
    public string Path { get; }

    public IReadOnlySet<string> Anchors { get; }

    /// <summary>Link targets as written (<c>docs/vxrd.md</c>, <c>security.md#leak-tests</c>, <c>#one-address-policy</c>, URLs).</summary>
    public IEnumerable<(int Line, string Target)> Links()
    {
        foreach (var (number, text) in _prose)
        {
            // Code spans first: a `[x](y)` inside one is text.
            string line = CodeSpan().Replace(text, "code");
            foreach (Match m in InlineLink().Matches(line)) yield return (number, m.Groups["target"].Value);
            if (LinkDefinition().Match(line) is { Success: true } d) yield return (number, d.Groups["target"].Value);
        }
    }

    /// <summary>The content of every inline code span, trimmed.</summary>
    public IEnumerable<(int Line, string Code)> CodeSpans()
    {
        foreach (var (number, text) in _prose)
        {
            foreach (Match m in CodeSpan().Matches(text)) yield return (number, m.Groups["code"].Value.Trim());
        }
    }

    /// <summary>
    /// GitHub's anchor for a heading: its rendered text (code, emphasis and link markup dropped),
    /// lower case, every character but letters, digits, <c>_</c>, <c>-</c> and spaces removed, each
    /// space a <c>-</c>.
    /// </summary>
    public static string Slug(string heading)
    {
        string text = LinkMarkup().Replace(heading, "${text}").Replace("`", "").Replace("*", "");
        var slug = new StringBuilder(text.Length);
        foreach (char c in text.Trim().ToLowerInvariant())
        {
            if (c == ' ') slug.Append('-');
            else if (char.IsLetterOrDigit(c) || c is '_' or '-' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark) slug.Append(c);
        }
        return slug.ToString();
    }

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>.*?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"<a\s+(?:name|id)=""(?<id>[^""]+)""")]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"`(?<code>[^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?")]
    private static partial Regex LinkDefinition();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkMarkup();
}
