@testable import Language
import XCTest

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) throws -> [TokenKind] { try Lexer.tokenize(source).map(\.kind) }

    func testIndentationBecomesIndentAndDedent() throws {
        XCTAssertEqual(try kinds("if x:\n    y\nz\n"), [
            .name("if"), .name("x"), .op(":"), .newline, .indent, .name("y"), .newline, .dedent, .name("z"), .newline, .eof,
        ])
    }

    func testBracketsJoinLinesAndCommentsVanish() throws {
        XCTAssertEqual(try kinds("f(1,  # one\n  2)\n"), [.name("f"), .op("("), .int(1), .op(","), .int(2), .op(")"), .newline, .eof])
        XCTAssertEqual(try kinds("a = 1 + \\\n 2"), [.name("a"), .op("="), .int(1), .op("+"), .int(2), .newline, .eof])
    }

    func testNumbersAndStrings() throws {
        XCTAssertEqual(try kinds("1_000 0x1f 1.5e-3 .5 'a\\tb' r'a\\tb' b'x'"), [
            .int(1000), .int(31), .float(0.0015), .float(0.5), .string("a\tb"), .string("a\\tb"), .name("b"), .string("x"), .newline, .eof,
        ])
        XCTAssertEqual(try kinds("f'{x:.2f}'"), [.fstring("{x:.2f}", raw: false), .newline, .eof])
        XCTAssertEqual(try kinds("'\\u00e9\\x41\\N{LATIN CAPITAL LETTER B}'"), [.string("éAB"), .newline, .eof])
        XCTAssertThrowsError(try kinds("'\\N'"))   // CPython: malformed \N character escape
    }

    func testTokensKnowTheirPositions() throws {
        let tokens = try Lexer.tokenize("x = 1\n  \nprint(x)")
        XCTAssertEqual(tokens[4].location, SourceLocation(line: 3, column: 1))
        XCTAssertEqual(tokens[6].location, SourceLocation(line: 3, column: 7))
    }
}

final class ParserTests: XCTestCase {
    private func expression(_ source: String) throws -> Expr {
        guard case .expression(let e) = try Parser.parse(source)[0].kind else { throw PyError(.syntaxError, "not an expression") }
        return e
    }

    func testPrecedenceClimbsFromOrToPower() throws {
        guard case .logical(.or, _, let right) = try expression("a or b and not c < d + e * -f ** g").kind,
              case .logical(.and, _, let and) = right.kind, case .unary(.not, let not) = and.kind,
              case .compare(_, let rest) = not.kind, case .binary(.add, _, let sum) = rest[0].rhs.kind,
              case .binary(.multiply, _, let product) = sum.kind, case .unary(.negate, let power) = product.kind,
              case .binary(.power, _, _) = power.kind else {
            return XCTFail("wrong tree")
        }
    }

    func testCallsWithEveryKindOfArgument() throws {
        guard case .call(_, let args) = try expression("f(1, *xs, key=2, **kw)").kind else { return XCTFail() }
        XCTAssertEqual(args.count, 4)
        guard case .positional = args[0], case .unpack = args[1], case .keyword("key", _) = args[2], case .unpackMapping = args[3] else {
            return XCTFail("wrong arguments")
        }
    }

    func testSubscriptsWithSlicesAndTuples() throws {
        guard case .subscript(_, let items) = try expression("x[0, :4, -5:, ::2]").kind else { return XCTFail() }
        XCTAssertEqual(items.count, 4)
        guard case .index = items[0], case .slice(nil, _?, nil) = items[1], case .slice(_?, nil, nil) = items[2],
              case .slice(nil, nil, _?) = items[3] else { return XCTFail("wrong slices") }
    }

    func testStatements() throws {
        let statements = try Parser.parse("""
            def f(a, b=1, *args, c=2, **kw):
                return a
            for i, j in pairs:
                pass
            with torch.no_grad():
                y = model(**x)
            from transformers import AutoModel as M, pipeline
            x += 1; y = z = 3;
            """)
        XCTAssertEqual(statements.count, 6)
        guard case .function("f", let parameters, _, _) = statements[0].kind else { return XCTFail() }
        XCTAssertEqual(parameters.map(\.kind), [.normal, .normal, .varArgs, .keywordOnly, .varKeywords])
        guard case .assign(let targets, _) = statements[5].kind else { return XCTFail() }
        XCTAssertEqual(targets.count, 2)
        XCTAssertTrue(statements[5].silenced)
    }

    /// PEP 526: one target, an annotation, and a value or none; CPython's errors (and columns) for other targets.
    func testAnnotatedAssignments() throws {
        let statements = try Parser.parse("x: int = 1\nself.y: List[int]\nd['k']: str = 'a', 'b'")
        guard case .annotatedAssign(let x, _, _?) = statements[0].kind, case .name("x") = x.kind,
              case .annotatedAssign(let y, _, nil) = statements[1].kind, case .attribute = y.kind,
              case .annotatedAssign(_, _, let value?) = statements[2].kind, case .tuple = value.kind else {
            return XCTFail("wrong annotated assignments")
        }
        for (source, message, column) in [("a, b: int = 1, 2", "only single target (not tuple) can be annotated", 1),
                                           ("x = [a]: int", "invalid syntax: expected end of line, found ':'", 8),
                                           ("[a]: int = 1", "only single target (not list) can be annotated", 1),
                                           ("f(): int = 1", "illegal target for annotation", 1)] {
            XCTAssertThrowsError(try Parser.parse(source), source) {
                XCTAssertEqual(($0 as? PyError)?.message, message, source)
                XCTAssertEqual(($0 as? PyError)?.location?.column, column, source)
            }
        }
    }

    func testUnsupportedConstructsAreNamedNotMisparsed() {
        for (source, what) in [("async def f(): pass", "'async'"), ("await x", "'await'")] {
            XCTAssertThrowsError(try Parser.parse(source), source) {
                XCTAssertEqual(($0 as? PyError)?.message, "\(what) is not supported by sbpl", source)
            }
        }
    }
}
