namespace Nova.ComputeWorker.Drivers;

/// <summary>The last lines of a console log, as os-getConsoleOutput's <c>length</c> asks.</summary>
public static class ConsoleTail
{
    public static string Last(string text, int? lines)
    {
        if (lines is null) return text;
        var all = text.Split('\n');
        // A trailing newline does not count as a line.
        var count = all.Length > 0 && all[^1].Length == 0 ? all.Length - 1 : all.Length;
        return string.Join('\n', all.Take(count).Skip(Math.Max(0, count - lines.Value)));
    }
}
