using Nova.ComputeWorker.Drivers;

namespace Nova.ComputeWorker.Tests.Drivers;

public class ConsoleTailTests
{
    [Theory]
    [InlineData("a\nb\nc\n", null, "a\nb\nc\n")]
    [InlineData("a\nb\nc\n", 2, "b\nc")]
    [InlineData("a\nb\nc", 1, "c")]
    [InlineData("a\nb", 10, "a\nb")]
    [InlineData("a\nb", 0, "")]
    public void Keeps_the_last_lines_asked_for(string log, int? lines, string expected) =>
        Assert.Equal(expected, ConsoleTail.Last(log, lines));
}
