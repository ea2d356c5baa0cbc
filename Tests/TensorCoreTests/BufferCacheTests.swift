@testable import TensorCore
import Testing

/// Large buffers freed by tensors are kept and handed out again, so a forward pass does not fault their pages in anew
/// (one test at a time: the second fills the cache the first reads back).
@Suite(.serialized) struct BufferCacheTests {
    @Test func aFreedLargeBufferIsReusedForTheSameSize() {
        let bytes = 3_000_001  // a size no other test asks for
        let first = BufferCache.take(bytes)
        BufferCache.give(first, bytes)
        let second = BufferCache.take(bytes + 100)  // the same whole pages
        #expect(second == first)
        BufferCache.give(second, bytes + 100)
        #expect(BufferCache.size(of: bytes) == 3_002_368)
        #expect(BufferCache.size(of: 1_000) == 1_000, "small buffers stay malloc's")
    }

    @Test func keptBytesStayWithinTheCapacity() {
        let bytes = BufferCache.capacity / 4 + 12_345  // five of these pass the capacity
        let buffers = (0..<5).map { _ in BufferCache.take(bytes) }
        for buffer in buffers { BufferCache.give(buffer, bytes) }
        #expect(BufferCache.keptBytes <= BufferCache.capacity)
        #expect(BufferCache.keptBytes >= 3 * BufferCache.size(of: bytes), "the newest three are kept")
    }
}
