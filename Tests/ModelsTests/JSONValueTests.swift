import Foundation
import PythonText
import Testing

/// `JSONValue` reads JSON as Python's `json.loads` does and `PythonJSON.dumps` writes it as `json.dumps(indent=2,
/// sort_keys=True)` does.
struct JSONValueTests {
    @Test func numbersKeepTheirPythonTypesAndObjectsTheirKeyOrder() throws {
        let value = try JSONValue(parsing: #"{"b": 1, "a": 1.0, "c": true, "d": null, "e": [1e-05, -0.0, -3], "b": 2}"#)
        let object = try #require(value.object)
        #expect(object.keys == ["b", "a", "c", "d", "e"])
        #expect(object["b"] == .int(2))
        #expect(object["a"] == .double(1))
        #expect(object["c"] == .bool(true))
        #expect(object["d"] == .null)
        #expect(object["e"] == .array([.double(1e-05), .double(-0.0), .int(-3)]))
        // an integer beyond Int stays an integer, as Python's ints have no limit
        #expect(try JSONValue(parsing: "[-99999999999999999999, 9223372036854775808]") == .array([.bigInteger("-99999999999999999999"), .bigInteger("9223372036854775808")]))
    }

    @Test func stringsUnescapeAsPythonDoes() throws {
        let value = try JSONValue(parsing: #"["\u00e9\ud83d\ude00\n\t\"\\\/", "plain é"]"#)
        #expect(value == .array([.string("é😀\n\t\"\\/"), .string("plain é")]))
    }

    @Test func pythonsNonFiniteLiteralsAreFloats() throws {
        let values = try #require(try JSONValue(parsing: "[NaN, Infinity, -Infinity]").array)
        #expect(values[0].number?.isNaN == true)
        #expect(values[1] == .double(.infinity))
        #expect(values[2] == .double(-.infinity))
    }

    @Test(arguments: [
        (#"{"a": }"#, "expected a value at byte 6"),
        ("[1,]", "expected a value at byte 3"),
        (#"{"a": 1} x"#, "extra data at byte 9"),
        (#"{"a" 1}"#, "expected ':' at byte 5"),
        (#"["open"#, "unterminated string at byte 6"),
        (String(repeating: "[", count: 600), "nested too deeply at byte 512"),
    ])
    func invalidTextIsAnErrorWithItsOffset(text: String, message: String) {
        #expect { try JSONValue(parsing: text) } throws: { "\($0)" == message }
    }

    @Test func dumpsWritesAsJSONDumpsWithSortedKeys() throws {
        let value = try JSONValue(parsing: #"{"f": "é😀\n", "b": 1, "a": 1.0, "e": [1e-05, -0.0], "d": null, "c": {}, "g": []}"#)
        #expect(PythonJSON.dumps(value) == """
            {
              "a": 1.0,
              "b": 1,
              "c": {},
              "d": null,
              "e": [
                1e-05,
                -0.0
              ],
              "f": "\\u00e9\\ud83d\\ude00\\n",
              "g": []
            }
            """)
        #expect(PythonJSON.dumps(value, ensureASCII: false).contains(#""f": "é😀\n""#))
    }

    @Test func foundationValuesBridgeWithPythonsTypes() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(#"{"t": true, "i": 1, "f": 1.0, "n": null, "s": ["x"]}"#.utf8))
        let object = try #require(JSONValue(bridging: parsed)?.object)
        #expect(object["t"] == .bool(true))
        #expect(object["i"] == .int(1))
        #expect(object["f"] == .double(1))
        #expect(object["n"] == .null)
        #expect(object["s"] == .array([.string("x")]))
        #expect(JSONValue(bridging: Date()) == nil)
    }

    @Test func pythonEqualityMixesNumbersAndBooleans() throws {
        #expect(JSONValue.int(1).pythonEquals(.double(1)))
        #expect(JSONValue.bool(true).pythonEquals(.int(1)))
        #expect(!JSONValue.string("1").pythonEquals(.int(1)))
        let a = try JSONValue(parsing: #"{"x": 1, "y": [0]}"#), b = try JSONValue(parsing: #"{"y": [false], "x": 1.0}"#)
        #expect(a.pythonEquals(b))
    }
}
