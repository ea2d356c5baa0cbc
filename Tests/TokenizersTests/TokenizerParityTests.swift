import Foundation
import Hub
import TestSupport
import Tokenizers
import XCTest

/// Replays the goldens transformers' fast tokenizer made (scripts/fixtures/tokenizer_goldens.py).
final class TokenizerParityTests: XCTestCase {
    func testSameTokensAndIDsAsTransformersBothLoadingPaths() throws {
        let rows = try Fixtures.jsonLines(Fixtures.url("Fixtures/parity.jsonl"))
        XCTAssertGreaterThan(rows.count, 300)
        for tokenizer in [try TokenizerCheckpoints.bertFromTokenizerJSON(), try TokenizerCheckpoints.bertFromVocab()] {
            var mismatches = 0
            for row in rows {
                let text = row["text"] as! String
                let ids = tokenizer.ids(text)
                var options = EncodingOptions()
                options.addSpecialTokens = false
                let words = try tokenizer.encode([text], batched: false, options: options).wordIDs[0]
                if ids != row["ids"] as! [Int] || tokenizer.tokenize(text) != row["tokens"] as! [String]
                    || words != (row["words"] as! [Any]).map({ $0 as? Int }) {
                    mismatches += 1
                    XCTFail("\(text.debugDescription): \(tokenizer.tokenize(text)) != \(row["tokens"]!)")
                }
            }
            XCTAssertEqual(mismatches, 0)
        }
    }

    func testCallsPrintWhatTransformersPrints() throws {
        let tokenizers = ["bert": try TokenizerCheckpoints.family("bert"), "distilbert": try TokenizerCheckpoints.family("distilbert")]
        for row in try Fixtures.jsonLines(Fixtures.url("Fixtures/calls.jsonl")) {
            var tokenizer = tokenizers[row["family"] as! String]!
            tokenizer.warn = { _ in }
            let (texts, batched) = row["text"] is String ? ([row["text"] as! String], false) : (row["text"] as! [String], true)
            let pairs = row["pair"] is String ? [row["pair"] as! String] : row["pair"] as? [String]
            let kwargs = row["kwargs"] as! [String: Any]
            let label = "\(row["family"]!) \(texts) \(kwargs)"
            do {
                let encoding = try tokenizer.encode(texts, pairs: pairs, batched: batched, options: try options(kwargs))
                XCTAssertEqual(encoding.description, row["output"] as? String, label)
                XCTAssertEqual(encoding.tokens, row["tokens"] as? [[String]], label)
                XCTAssertEqual(encoding.wordIDs, (row["word_ids"] as! [[Any]]).map { $0.map { $0 as? Int } }, label)
                XCTAssertEqual(encoding.sequenceIDs, (row["sequence_ids"] as! [[Any]]).map { $0.map { $0 as? Int } }, label)
            } catch {
                XCTAssertEqual("\(error)", row["error"] as? String, label)
            }
        }
    }

    private func options(_ kwargs: [String: Any]) throws -> EncodingOptions {
        var options = EncodingOptions()
        for (key, value) in kwargs {
            switch key {
            case "padding": options.padding = value as? Bool == true ? .longest : Padding(rawValue: value as! String)!
            case "truncation": options.truncation = value as? Bool == true ? .longestFirst : Truncation(rawValue: value as! String)!
            case "max_length": options.maxLength = value as? Int
            case "return_tensors": options.returnTensors = value as? String == "pt"
            case "add_special_tokens": options.addSpecialTokens = value as! Bool
            case "return_attention_mask": options.returnAttentionMask = value as? Bool
            case "return_token_type_ids": options.returnTokenTypeIDs = value as? Bool
            case "pad_to_multiple_of": options.padToMultipleOf = value as? Int
            case "padding_side": options.paddingSide = PaddingSide(rawValue: value as! String)
            default: throw TokenizerError("fixture uses unknown keyword \(key)")
            }
        }
        return options
    }

    func testDecodesAsTransformers() throws {
        for row in try Fixtures.jsonLines(Fixtures.url("Fixtures/decode.jsonl")) {
            let tokenizer = try TokenizerCheckpoints.family(row["family"] as! String)
            let ids = row["ids"] as! [Int]
            XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: row["skip_special_tokens"] as! Bool), row["text"] as? String, "\(ids)")
            XCTAssertEqual(ids.map { tokenizer.token(forID: $0) ?? "None" }, (row["tokens"] as! [Any]).map { $0 as? String ?? "None" })
        }
    }
}

/// `tokenizer.save_pretrained` against the files transformers wrote (Fixtures/saved.jsonl, tokenizer_goldens.py).
final class TokenizerSavingTests: XCTestCase {
    func testSavedFilesAreTransformersOwn() throws {
        for row in try Fixtures.jsonLines(Fixtures.url("Fixtures/saved.jsonl")) {
            let family = row["family"] as! String, className = row["class"] as? String
            let folder = try TokenizerCheckpoints.folder(family)
            let tokenizer = try PreTrainedTokenizer.load(Checkpoint.locate(folder.path), as: className)
            let out = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
            let files = try tokenizer.save(to: out).map(\.lastPathComponent)
            let label = "\(family) \(className ?? "AutoTokenizer")"
            let hasJSON = tokenizer.isFast && FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path)
            XCTAssertEqual(files, ["tokenizer_config.json", "special_tokens_map.json", "vocab.txt"] + (hasJSON ? ["tokenizer.json"] : []), label)
            for (name, expected) in row["files"] as! [String: String] {
                XCTAssertEqual(try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8), expected, "\(label) \(name)")
            }
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("vocab.txt")), try Data(contentsOf: try Fixtures.miniLM().appendingPathComponent("vocab.txt")), label)
            let reloaded = try PreTrainedTokenizer.load(Checkpoint.locate(out.path))
            XCTAssertEqual(reloaded.ids("Saved and loaded again, Ünïcode too."), tokenizer.ids("Saved and loaded again, Ünïcode too."), label)
        }
    }
}
