import Diagnostics
import Logging
import Testing

/// The one log handler prints what transformers' logger prints: the bare message, one line per message.
@Suite struct MessageLogHandlerTests {
    @Test func writesTheBareMessageWithoutTimestampLevelOrLabel() {
        let log = LogBuffer()
        let logger = Logger(label: "transformers.tokenization_utils_base", writingTo: .buffer(log))
        logger.warning("Token indices sequence length is longer than the specified maximum")
        logger.error("two\nlines")
        #expect(log.contents == "Token indices sequence length is longer than the specified maximum\ntwo\nlines\n")
    }

    @Test func dropsWhatTransformersDefaultVerbosityHides() {
        let log = LogBuffer()
        var logger = Logger(label: "test", writingTo: .buffer(log))
        logger.info("hidden")
        logger.debug("hidden")
        #expect(log.contents == "")
        logger.logLevel = .info
        logger.info("shown")
        #expect(log.contents == "shown\n")
    }
}
