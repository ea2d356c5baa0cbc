import Shell
import XCTest

/// Where the shell keeps its history: under `$XDG_STATE_HOME`, else under `$HOME` as Python reads `~`.
final class HistoryPathTests: XCTestCase {
    func testHistoryFollowsXDGStateHomeThenHOME() {
        XCTAssertEqual(Shell.defaultHistoryPath(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/learner"]),
                       "/state/sbpl/history")
        XCTAssertEqual(Shell.defaultHistoryPath(environment: ["HOME": "/home/learner"]),
                       "/home/learner/.local/state/sbpl/history")
    }
}
