import Foundation
@testable import Kernel
import Testing

/// Signatures as jupyter_client's `Session.sign` computes them, and the connection file's checks.
struct MessageSigningTests {
    /// `hmac.new(b"key", b"".join([b"a", b"b", b"c", b"d"]), hashlib.sha256).hexdigest()`
    static let signatureOfABCD = "2a31ec0ee8d878c9eece9fb0df79b3b90b2256240163aa5ee50d176d3d1121f8"

    @Test func signsTheFourPartsWithHMACSHA256AndChecksThem() throws {
        let signer = MessageSigner(key: "key")
        let parts = ["a", "b", "c", "d"].map { Data($0.utf8) }
        let signature = signer.signature(of: parts)
        #expect(signature == Self.signatureOfABCD)
        #expect(signer.verifies(Data(signature.utf8), of: parts))
        #expect(!signer.verifies(Data(signature.utf8), of: ["a", "b", "c", "e"].map { Data($0.utf8) }))
        #expect(!signer.verifies(Data("zz".utf8), of: parts))
        #expect(!MessageSigner(key: "other").verifies(Data(signature.utf8), of: parts))
    }

    @Test func anEmptyKeySignsNothingAndAcceptsAll() {
        let signer = MessageSigner(key: "")
        #expect(signer.signature(of: [Data("a".utf8)]) == "")
        #expect(signer.verifies(Data(), of: [Data("a".utf8)]))
    }

    @Test func aConnectionFileWithAnotherSchemeOrMissingPortsIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let md5 = folder.appendingPathComponent("md5.json"), partial = folder.appendingPathComponent("partial.json")
        try Data(#"{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-md5"}"#.utf8).write(to: md5)
        try Data(#"{"transport": "tcp", "ip": "127.0.0.1", "key": "k", "signature_scheme": "hmac-sha256"}"#.utf8).write(to: partial)
        #expect(throws: KernelError.unsupportedSignatureScheme("hmac-md5")) { try ConnectionInfo.read(md5.path) }
        #expect(throws: KernelError.connectionFile(path: partial.path, reason: "missing 'shell_port'")) {
            try ConnectionInfo.read(partial.path)
        }
        #expect(throws: KernelError.connectionFile(path: "/no/such.json", reason: "no such readable file")) {
            try ConnectionInfo.read("/no/such.json")
        }
    }
}
