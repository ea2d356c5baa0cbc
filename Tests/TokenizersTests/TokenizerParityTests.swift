import Foundation
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
                if ids != row["ids"] as! [Int] || tokenizer.tokenize(text) != row["tokens"] as! [String] {
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
