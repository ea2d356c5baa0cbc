import Shell
import Testing

/// Where the shell keeps its history: under `$XDG_STATE_HOME`, else under `$HOME` as Python reads `~`.
@Suite struct HistoryPathTests {
    @Test func historyFollowsXDGStateHomeThenHOME() {
        #expect(Shell.defaultHistoryPath(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/learner"])
            == "/state/sbpl/history")
        #expect(Shell.defaultHistoryPath(environment: ["HOME": "/home/learner"]) == "/home/learner/.local/state/sbpl/history")
    }
}
