using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Tests;

/// <summary>The state the journal stores beside each step reads back as written, and anything else as none.</summary>
public sealed class JournaledStateTests
{
    [Fact]
    public void A_stored_state_reads_back_as_written()
    {
        var state = new JournaledState("RollingBack", "sha256:aa", "sha256:bb", "img", IsRestore: true, "health gate failed", Quarantine: true, Acting: true);
        Assert.Equal(state, JournaledState.TryParse(state.ToJson()));
    }

    // The last two were replayed through bench/fuzz's journaled-state target while triaging the
    // simple-signing crash: an escaped lone surrogate is valid JSON, but reading it as a string
    // threw InvalidOperationException out of TryParse.
    [Theory]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("{\"kind\":")]
    [InlineData("{\"kind\":\"\\ud800x\"}")]
    [InlineData("{\"kind\":\"a\",\"candidate\":\"\\udc00\"}")]
    public void Text_that_is_not_a_state_reads_as_none(string text) => Assert.Null(JournaledState.TryParse(text));
}
