import Diagnostics
import Logging
import XCTest

/// The one log handler prints what transformers' logger prints: the bare message, one line per message.
final class MessageLogHandlerTests: XCTestCase {
    func testWritesTheBareMessageWithoutTimestampLevelOrLabel() {
        let log = LogBuffer()
        let logger = Logger(label: "transformers.tokenization_utils_base", writingTo: .buffer(log))
        logger.warning("Token indices sequence length is longer than the specified maximum")
        logger.error("two\nlines")
        XCTAssertEqual(log.contents, "Token indices sequence length is longer than the specified maximum\ntwo\nlines\n")
    }

    func testDropsWhatTransformersDefaultVerbosityHides() {
        let log = LogBuffer()
        var logger = Logger(label: "test", writingTo: .buffer(log))
        logger.info("hidden")
        logger.debug("hidden")
        XCTAssertEqual(log.contents, "")
        logger.logLevel = .info
        logger.info("shown")
        XCTAssertEqual(log.contents, "shown\n")
    }
}
