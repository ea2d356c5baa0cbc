import Safetensors
import Testing

/// One case of a safetensors fixture whose tensors are named `{case}.{part}`.
struct FixtureCase: Sendable, CustomTestStringConvertible {
    let name: String
    var testDescription: String { name }

    /// The cases of `file`: the names of its tensors that end in `.{part}`, without it.
    static func all(in file: SafetensorsFile?, withPart part: String) -> [FixtureCase] {
        (file?.names ?? []).filter { $0.hasSuffix(".\(part)") }.map { FixtureCase(name: String($0.dropLast(part.count + 1))) }
    }
}
