/// huggingface/tokenizers' `TruncationParams`: the longest an encoding may be, special tokens included.
public struct TruncationParams: Sendable, Equatable {
    public var maxLength: Int
    /// Which sequence of a pair loses tokens (`.doNotTruncate` keeps both whole).
    public var strategy: Truncation
    /// How many tokens each overflowing piece would repeat from the one before. sbpl returns no overflowing
    /// tokens, so it does not change the encoding.
    public var stride: Int

    public init(maxLength: Int, strategy: Truncation = .longestFirst, stride: Int = 0) {
        (self.maxLength, self.strategy, self.stride) = (maxLength, strategy, stride)
    }

    /// Truncates `first` and `second` so that their tokens number at most `budget` (`truncate_encodings`).
    func truncate(_ first: inout Encoding, _ second: inout Encoding?, to budget: Int) throws {
        let total = first.count + (second?.count ?? 0)
        guard total > budget else { return }
        switch strategy {
        case .doNotTruncate:
            return
        case .longestFirst:
            guard var pair = second else { first.truncate(to: budget); return }
            var (n1, n2) = (first.count, pair.count)
            let swap = n1 > n2
            if swap { (n1, n2) = (n2, n1) }
            n2 = n1 > budget ? n1 : Swift.max(n1, budget - n1)
            if n1 + n2 > budget { n1 = budget / 2; n2 = n1 + budget % 2 }
            if swap { (n1, n2) = (n2, n1) }
            first.truncate(to: n1)
            pair.truncate(to: n2)
            second = pair
        case .onlyFirst, .onlySecond:
            let excess = total - budget
            if strategy == .onlyFirst {
                guard first.count > excess else { throw TokenizerError.sequenceTooShort }
                first.truncate(to: first.count - excess)
            } else {
                guard var pair = second else { throw TokenizerError.noSecondSequence }
                guard pair.count > excess else { throw TokenizerError.sequenceTooShort }
                pair.truncate(to: pair.count - excess)
                second = pair
            }
        }
    }
}

/// huggingface/tokenizers' `PaddingParams`: how encodings are padded.
public struct PaddingParams: Sendable, Equatable {
    /// To the longest encoding of the batch, or to a fixed length.
    public enum Strategy: Sendable, Equatable {
        case batchLongest
        case fixed(Int)
    }

    public var strategy: Strategy
    public var direction: PaddingSide
    /// Padded lengths are rounded up to a multiple of this.
    public var padToMultipleOf: Int?
    public var padID: Int
    public var padTypeID: Int

    public init(strategy: Strategy, direction: PaddingSide = .right, padToMultipleOf: Int? = nil, padID: Int, padTypeID: Int = 0) {
        (self.strategy, self.direction, self.padToMultipleOf, self.padID, self.padTypeID) = (strategy, direction, padToMultipleOf, padID, padTypeID)
    }
}
