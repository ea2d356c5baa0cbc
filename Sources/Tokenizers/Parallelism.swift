import Foundation
import Synchronization
import TensorCore

/// Whether batches are encoded on every core, as huggingface/tokenizers decides from `TOKENIZERS_PARALLELISM`
/// (read at each batch): on unless the variable is set to "", "off", "false", "f", "no", "n" or "0", in any case.
public enum TokenizersParallelism {
    /// The environment variable's name.
    public static let variable = "TOKENIZERS_PARALLELISM"

    /// Whether the variable's `value` (nil when unset) turns parallelism on.
    public static func isEnabled(_ value: String?) -> Bool {
        guard let value else { return true }
        return !["", "off", "false", "f", "no", "n", "0"].contains(value.lowercased())
    }

    /// Whether the process's environment turns parallelism on now.
    public static var isEnabled: Bool { isEnabled(getenv(variable).map { String(cString: $0) }) }

    /// `transform` of each of `0..<count`, in order; on every core when `parallel` and `count` is two or more, the
    /// workers taking a few indices at a time as they finish (texts differ in length). Of the indices whose
    /// transform throws, the first one's error is rethrown, as a loop would.
    public static func map<T>(_ count: Int, parallel: Bool = isEnabled, _ transform: (Int) throws -> T) throws -> [T] {
        guard parallel, count > 1, activeCores > 1 else { return try (0..<count).map(transform) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        let firstFailure = Mutex<(index: Int, error: any Error)?>(nil)
        parallelChunks(count, grain: 1, perCore: 16) { indices in
            for i in indices {
                do { slots[i] = try transform(i) } catch {
                    firstFailure.withLock { if $0.map({ $0.index > i }) ?? true { $0 = (i, error) } }
                }
            }
        }
        if let failure = firstFailure.withLock({ $0 }) { throw failure.error }
        return slots.map { $0! }
    }

    /// `body` for each of `0..<count`, as `map` runs its transform.
    public static func forEach(_ count: Int, parallel: Bool = isEnabled, _ body: (Int) throws -> Void) throws {
        _ = try map(count, parallel: parallel, body)
    }
}
