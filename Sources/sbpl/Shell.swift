import Language
/// Placeholder until the REPL lands.
struct Shell { let interpreter: Interpreter; init(_ i: Interpreter) { interpreter = i }; func run() -> Int32 { 0 } }
