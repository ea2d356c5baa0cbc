/// `string`: the character sets (`string.punctuation`, `string.ascii_lowercase`, ...) and `capwords`.
enum StringModule {
    static let lowercase = "abcdefghijklmnopqrstuvwxyz", uppercase = lowercase.uppercased(), digits = "0123456789"
    static let punctuation = ##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##, whitespace = " \t\n\r\u{0B}\u{0C}"

    static func make() -> PythonModule {
        PythonModule("string", [
            "ascii_lowercase": .str(lowercase), "ascii_uppercase": .str(uppercase), "ascii_letters": .str(lowercase + uppercase),
            "digits": .str(digits), "hexdigits": .str(digits + "abcdefABCDEF"), "octdigits": .str("01234567"),
            "punctuation": .str(punctuation), "whitespace": .str(whitespace),
            "printable": .str(digits + lowercase + uppercase + punctuation + whitespace),
            "capwords": .object(BuiltinFunction("capwords", calling: { args, interpreter in
                let a = try args.bind("capwords", ["s", "sep"], required: 1)
                let s = try a[0]!.asString("capwords() argument 's'"), sep = a[1].given
                func call(_ receiver: Value, _ method: String, _ arguments: [Value]) throws -> Value {
                    try interpreter.call(try interpreter.attribute(receiver, method)!, Arguments(arguments))
                }
                let words = try Iteration.materialize(try call(.str(s), "split", sep.map { [$0] } ?? []))
                return try call(sep ?? .str(" "), "join", [.list(PyList(try words.map { try call($0, "capitalize", []) }))])
            })),
        ], planned: ["Formatter", "Template"])
    }
}
