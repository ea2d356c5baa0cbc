/// A recursive-descent parser from tokens to statements, one method per grammar rule and precedence level:
/// `test -> or -> and -> not -> comparison -> arithmetic -> term -> factor -> power -> primary -> atom`.
public struct Parser {
    private let tokens: [Token]
    private var p = 0
    private var depth = 0
    /// How deeply expressions may nest (brackets are limited to 200 by the lexer; this bounds `not not ...`,
    /// `- - ...` and `a if b else c if ...` chains).
    static let maxDepth = 1000
    /// Whether the function being parsed has a `yield` so far; nil outside a function body, where `yield` is an error.
    private var functionYields: Bool?
    /// How many loops enclose the statement being parsed in its function or class body (`break` needs one).
    private var loopDepth = 0

    static let unsupportedKeywords = ["async", "await", "match", "elif", "else"]
    static let keywords: Set<String> = ["False", "None", "True", "and", "as", "assert", "break", "continue", "def",
                                        "del", "for", "from", "if", "import", "in", "is", "lambda", "not", "or",
                                        "pass", "return", "while", "with", "class", "try", "except", "finally",
                                        "raise", "global", "nonlocal", "yield", "async", "await", "elif", "else"]

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole script or cell, numbered `number` in its interpreter's `SourceTable`.
    public static func parse(_ source: String, number: Int = 0) throws -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(source, number: number))
        return try parser.module()
    }

    // MARK: Token helpers

    private var token: Token { tokens[p] }
    private var location: SourceLocation { token.location }

    private func isOp(_ op: String) -> Bool { token.kind == .op(op) }
    private func isName(_ name: String) -> Bool { token.kind == .name(name) }

    @discardableResult
    private mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    private mutating func accept(_ op: String) -> Bool {
        if isOp(op) { advance(); return true }
        return false
    }

    private mutating func acceptName(_ name: String) -> Bool {
        if isName(name) { advance(); return true }
        return false
    }

    private mutating func expect(_ op: String) throws {
        guard accept(op) else { throw unexpected(expecting: "'\(op)'") }
    }

    private mutating func expectName(_ name: String) throws {
        guard acceptName(name) else { throw unexpected(expecting: "'\(name)'") }
    }

    private mutating func identifier() throws -> String {
        guard case .name(let name) = token.kind, !Self.keywords.contains(name) else { throw unexpected(expecting: "a name") }
        advance()
        return name
    }

    private func unexpected(expecting what: String) -> PyError {
        switch token.kind {
        case .name(let n) where Self.unsupportedKeywords.contains(n) && n != "else" && n != "elif":
            return .notSupported("'\(n)'", at: location)
        case .indent: return PyError(.indentationError, "unexpected indent", at: location)
        case .eof: return .syntax("unexpected end of input, expected \(what)", at: location)
        case .newline: return .syntax("invalid syntax: expected \(what) before the end of the line", at: location)
        default: return .syntax("invalid syntax: expected \(what), found \(describe(token.kind))", at: location)
        }
    }

    private func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .name(let n): return "'\(n)'"
        case .op(let o): return "'\(o)'"
        case .int, .float: return "a number"
        case .string, .fstring: return "a string"
        case .newline: return "end of line"
        case .indent: return "an indent"
        case .dedent: return "a dedent"
        case .eof: return "end of input"
        }
    }

    // MARK: Statements

    private mutating func module() throws -> [Stmt] {
        var body = [Stmt]()
        while token.kind != .eof {
            if token.kind == .newline { advance(); continue }
            body += try statement()
        }
        return body
    }

    private mutating func statement() throws -> [Stmt] {
        let start = location
        if isOp("@") { return [try decorated()] }
        guard case .name(let word) = token.kind else { return try simpleStatements() }
        switch word {
        case "if": return [try ifStatement()]
        case "for": return [try forStatement()]
        case "while": return [try whileStatement()]
        case "def": return [try functionDefinition()]
        case "class": return [try classDefinition()]
        case "with": return [try withStatement()]
        case "try": return [try tryStatement()]
        case "elif", "else": throw PyError.syntax("invalid syntax: '\(word)' without a matching 'if'", at: start)
        case "except", "finally": throw PyError.syntax("invalid syntax: '\(word)' without a matching 'try'", at: start)
        case "async":
            throw PyError.notSupported("'async'", at: start)
        case "match" where isStatementKeyword():
            throw PyError.notSupported("'match'", at: start)
        default: return try simpleStatements()
        }
    }

    /// `match` is a soft keyword: only a statement when followed by an expression and `:` (approximated).
    private func isStatementKeyword() -> Bool {
        if case .name = tokens[min(p + 1, tokens.count - 1)].kind { return true }
        return false
    }

    private mutating func simpleStatements() throws -> [Stmt] {
        var statements = [try simpleStatement()]
        while accept(";") {
            statements[statements.count - 1].silenced = true
            if token.kind == .newline || token.kind == .eof { break }
            statements.append(try simpleStatement())
        }
        guard token.kind == .newline || token.kind == .eof else { throw unexpected(expecting: "end of line") }
        advance()
        return statements
    }

    private mutating func simpleStatement() throws -> Stmt {
        let start = location
        func stmt(_ kind: Stmt.Kind) -> Stmt { Stmt(kind: kind, location: start) }
        if case .name(let word) = token.kind {
            switch word {
            case "pass": advance(); return stmt(.pass)
            case "break":
                guard loopDepth > 0 else { throw PyError.syntax("'break' outside loop", at: start) }
                advance()
                return stmt(.break)
            case "continue":
                guard loopDepth > 0 else { throw PyError.syntax("'continue' not properly in loop", at: start) }
                advance()
                return stmt(.continue)
            case "return":
                guard functionYields != nil else { throw PyError.syntax("'return' outside function", at: start) }
                advance()
                return stmt(.return(atStatementEnd ? nil : try expressionList()))
            case "raise":
                advance()
                if atStatementEnd { return stmt(.raise(nil, cause: nil)) }
                let error = try expression()
                return stmt(.raise(error, cause: acceptName("from") ? try expression() : nil))
            case "import": return try importStatement()
            case "from": return try fromImportStatement()
            case "del":
                advance()
                return stmt(.delete(try targetList()))
            case "assert":
                advance()
                let test = try expression()
                return stmt(.assert(test, message: accept(",") ? try expression() : nil))
            case "global", "nonlocal":
                advance()
                var names = [try identifier()]
                while accept(",") { names.append(try identifier()) }
                return stmt(.declare(ScopeDeclaration(rawValue: word)!, names))
            case "await":
                throw PyError.notSupported("'await'", at: start)
            default: break
            }
        }
        let first = try isName("yield") ? yieldExpression() : expressionList(allowStarred: true)
        if case .op(let text) = token.kind, text.count >= 2, text.hasSuffix("="), !["==", "<=", ">=", "!="].contains(text) {
            guard let op = BinaryOperator(augmented: text) else {
                throw PyError.notSupported("the augmented assignment '\(text)'", at: location)
            }
            try checkTarget(first)
            advance()
            return stmt(.augmentedAssign(target: first, op: op, value: try assignedValue()))
        }
        if accept(":") { return stmt(try annotated(first)) }
        var targets = [first]
        while accept("=") { targets.append(try assignedValue()) }
        guard targets.count > 1 else { return stmt(.expression(first)) }
        let value = targets.removeLast()
        for target in targets { try checkTarget(target) }
        return stmt(.assign(targets: targets, value: value))
    }

    /// The rest of `target: annotation` or `target: annotation = value`, after the colon.
    private mutating func annotated(_ target: Expr) throws -> Stmt.Kind {
        switch target.kind {
        case .name, .attribute, .subscript: break
        case .tuple: throw PyError.syntax("only single target (not tuple) can be annotated", at: target.location)
        case .list: throw PyError.syntax("only single target (not list) can be annotated", at: target.location)
        default: throw PyError.syntax("illegal target for annotation", at: target.location)
        }
        let annotation = try expression()
        return .annotatedAssign(target: target, annotation: annotation, value: accept("=") ? try assignedValue() : nil)
    }

    /// The right of `=` or `+=`: an expression list or a yield.
    private mutating func assignedValue() throws -> Expr {
        try isName("yield") ? yieldExpression() : expressionList(allowStarred: true)
    }

    /// `yield`, `yield a, b` or `yield from iterable`: only in a function, which it makes a generator function.
    private mutating func yieldExpression() throws -> Expr {
        let start = advance().location
        guard functionYields != nil else { throw PyError.syntax("'yield' outside function", at: start) }
        functionYields = true
        if acceptName("from") { return Expr(kind: .yieldFrom(try expression()), location: start) }
        let bare = atStatementEnd || isOp(")") || isOp("=")
        return Expr(kind: .yield(bare ? nil : try expressionList()), location: start)
    }

    private var atStatementEnd: Bool { token.kind == .newline || token.kind == .eof || isOp(";") }

    /// Only names, attributes, subscripts and tuples / lists of them can be assigned to.
    private func checkTarget(_ e: Expr) throws {
        switch e.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let items), .list(let items):
            if items.filter({ if case .starred = $0.kind { true } else { false } }).count > 1 {
                throw PyError.syntax("multiple starred expressions in assignment", at: e.location)
            }
            try items.forEach(checkTarget)
        case .starred(let inner): try checkTarget(inner)
        case .call: throw PyError.syntax("cannot assign to function call", at: e.location)
        default: throw PyError.syntax("cannot assign to expression", at: e.location)
        }
    }

    private mutating func targetList() throws -> [Expr] {
        var targets = [try primary()]
        while accept(",") && !atStatementEnd { targets.append(try primary()) }
        try targets.forEach(checkTarget)
        return targets
    }

    private mutating func dottedName() throws -> String {
        var name = try identifier()
        while accept(".") { name += "." + (try identifier()) }
        return name
    }

    private mutating func importStatement() throws -> Stmt {
        let start = advance().location
        var modules = [(module: String, alias: String?)]()
        repeat {
            let module = try dottedName()
            modules.append((module, acceptName("as") ? try identifier() : nil))
        } while accept(",")
        return Stmt(kind: .import(modules), location: start)
    }

    private mutating func fromImportStatement() throws -> Stmt {
        let start = advance().location
        if isOp(".") { throw PyError.notSupported("relative imports", at: location) }
        let module = try dottedName()
        try expectName("import")
        if isOp("*") {
            guard functionYields == nil else { throw PyError.syntax("import * only allowed at module level", at: start) }
            advance()
            return Stmt(kind: .fromImportAll(module: module), location: start)
        }
        let parenthesized = accept("(")
        var names = [(name: String, alias: String?)]()
        repeat {
            if parenthesized && isOp(")") { break }
            let name = try identifier()
            names.append((name, acceptName("as") ? try identifier() : nil))
        } while accept(",")
        if parenthesized { try expect(")") }
        return Stmt(kind: .fromImport(module: module, names: names), location: start)
    }

    /// `:` then an indented block, or simple statements on the same line.
    private mutating func block() throws -> [Stmt] {
        try expect(":")
        guard token.kind == .newline else { return try simpleStatements() }
        advance()
        guard token.kind == .indent else {
            throw PyError(.indentationError, "expected an indented block", at: location)
        }
        advance()
        var body = [Stmt]()
        while token.kind != .dedent && token.kind != .eof {
            if token.kind == .newline { advance(); continue }
            body += try statement()
        }
        advance()
        return body
    }

    /// `try:` with `except` handlers (a bare `except:` last), then optionally `else:` and `finally:`.
    private mutating func tryStatement() throws -> Stmt {
        let start = advance().location
        let body = try block()
        var handlers = [ExceptHandler]()
        while isName("except") {
            let at = advance().location
            if let last = handlers.last, last.type == nil {
                throw PyError.syntax("default 'except:' must be last", at: last.location)
            }
            var type: Expr?, name: String?
            if !isOp(":") {
                type = try expression()
                if acceptName("as") { name = try identifier() }
            }
            handlers.append(ExceptHandler(type: type, name: name, body: try block(), location: at))
        }
        let elseLocation = location
        let otherwise = acceptName("else") ? try block() : []
        if !otherwise.isEmpty && handlers.isEmpty { throw PyError.syntax("invalid syntax: 'else' needs an 'except' before it", at: elseLocation) }
        let final = acceptName("finally") ? try block() : []
        guard !handlers.isEmpty || !final.isEmpty else { throw PyError.syntax("expected 'except' or 'finally' block", at: location) }
        return Stmt(kind: .try(body: body, handlers: handlers, otherwise: otherwise, finally: final), location: start)
    }

    private mutating func ifStatement() throws -> Stmt {
        let start = advance().location
        var branches = [(test: try expression(), body: try block())]
        var otherwise = [Stmt]()
        while isName("elif") {
            advance()
            branches.append((try expression(), try block()))
        }
        if acceptName("else") { otherwise = try block() }
        return Stmt(kind: .if(branches: branches, otherwise: otherwise), location: start)
    }

    private mutating func forStatement() throws -> Stmt {
        let start = advance().location
        let target = try targetExpressionList()
        try expectName("in")
        let iterable = try expressionList()
        let body = try loopBody()
        let otherwise = acceptName("else") ? try block() : []
        return Stmt(kind: .for(target: target, iterable: iterable, body: body, otherwise: otherwise), location: start)
    }

    /// `a`, `a, b` or `a, *rest` as a loop target (stops before `in`).
    private mutating func targetExpressionList() throws -> Expr {
        let start = location
        func item(_ parser: inout Parser) throws -> Expr {
            guard parser.isOp("*") else { return try parser.orExpression(allowIn: false) }
            let star = parser.advance().location
            return Expr(kind: .starred(try parser.orExpression(allowIn: false)), location: star)
        }
        var items = [try item(&self)]
        while accept(",") && !isName("in") { items.append(try item(&self)) }
        let target = items.count == 1 && !(tokens[p - 1].kind == .op(",")) ? items[0] : Expr(kind: .tuple(items), location: start)
        try checkTarget(target)
        return target
    }

    private mutating func whileStatement() throws -> Stmt {
        let start = advance().location
        let test = try expression()
        let body = try loopBody()
        let otherwise = acceptName("else") ? try block() : []
        return Stmt(kind: .while(test: test, body: body, otherwise: otherwise), location: start)
    }

    /// A loop's block, where `break` and `continue` may stand (not its `else` block).
    private mutating func loopBody() throws -> [Stmt] {
        loopDepth += 1
        defer { loopDepth -= 1 }
        return try block()
    }

    /// A function's or class's block: the loops around it do not enclose its statements.
    private mutating func ownBlock() throws -> [Stmt] {
        let outer = loopDepth
        loopDepth = 0
        defer { loopDepth = outer }
        return try block()
    }

    private mutating func functionDefinition() throws -> Stmt {
        let start = advance().location
        let name = try identifier()
        try expect("(")
        let parameters = try parameterList(closing: ")")
        try expect(")")
        if accept("->") { _ = try expression() }
        let outer = functionYields
        functionYields = false
        defer { functionYields = outer }
        let body = try ownBlock()
        return Stmt(kind: .function(name: name, parameters: parameters, body: body, isGenerator: functionYields == true), location: start)
    }

    /// `@decorator` lines, then the `def` or `class` they decorate.
    private mutating func decorated() throws -> Stmt {
        let start = location
        var decorators = [Expr]()
        while accept("@") {
            decorators.append(try expression())
            guard token.kind == .newline else { throw unexpected(expecting: "end of line") }
            advance()
        }
        guard isName("def") || isName("class") else { throw unexpected(expecting: "'def' or 'class'") }
        let definition = try isName("def") ? functionDefinition() : classDefinition()
        return Stmt(kind: .decorated(decorators, definition), location: start)
    }

    /// `class NAME:` or `class NAME(BASE, ...):` and its block.
    private mutating func classDefinition() throws -> Stmt {
        let start = advance().location
        let name = try identifier()
        var bases = [Expr]()
        if accept("(") {
            while !isOp(")") {
                bases.append(try expression())
                if !accept(",") { break }
            }
            try expect(")")
        }
        let outer = functionYields
        functionYields = nil
        defer { functionYields = outer }
        return Stmt(kind: .classDefinition(name: name, bases: bases, body: try ownBlock()), location: start)
    }

    private mutating func parameterList(closing: String) throws -> [Parameter] {
        var parameters = [Parameter]()
        var bareStar = false  // `*,`: the parameters after it are keyword-only
        while !isOp(closing) {
            let start = location
            if accept("**") {
                parameters.append(Parameter(name: try identifier(), defaultValue: nil, kind: .varKeywords))
            } else if accept("*") {
                if isOp(",") || isOp(closing) {
                    guard accept(","), !isOp(closing), !isOp("**") else { throw PyError.syntax("named arguments must follow bare *", at: start) }
                    bareStar = true
                    continue
                }
                parameters.append(Parameter(name: try identifier(), defaultValue: nil, kind: .varArgs))
            } else if isOp("/") {
                throw PyError.notSupported("positional-only parameters", at: start)
            } else {
                let name = try identifier()
                if closing == ")" && accept(":") { _ = try expression() }
                let value = accept("=") ? try expression() : nil
                let keywordOnly = bareStar || parameters.contains { $0.kind == .varArgs }
                if value == nil, !keywordOnly, parameters.contains(where: { $0.defaultValue != nil && $0.kind == .normal }) {
                    throw PyError.syntax("non-default argument follows default argument", at: start)
                }
                parameters.append(Parameter(name: name, defaultValue: value, kind: keywordOnly ? .keywordOnly : .normal))
            }
            if !accept(",") { break }
        }
        return parameters
    }

    private mutating func withStatement() throws -> Stmt {
        let start = advance().location
        var items = [(context: Expr, target: Expr?)]()
        repeat {
            let context = try expression()
            var target: Expr?
            if acceptName("as") {
                target = try primary()
                try checkTarget(target!)
            }
            items.append((context, target))
        } while accept(",")
        return Stmt(kind: .with(items: items, body: try block()), location: start)
    }

    // MARK: Expressions

    /// `a` or `a, b, ...` (a tuple).
    mutating func expressionList(allowStarred: Bool = false) throws -> Expr {
        let start = location
        let first = try allowStarred && isOp("*") ? starred() : expression()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if atStatementEnd || isOp("=") || isOp(")") { break }
            items.append(try allowStarred && isOp("*") ? starred() : expression())
        }
        return Expr(kind: .tuple(items), location: start)
    }

    private mutating func starred() throws -> Expr {
        let start = advance().location
        return Expr(kind: .starred(try orExpression()), location: start)
    }

    /// Runs a recursive rule one level deeper, refusing to nest past `maxDepth`.
    private mutating func nested<T>(_ rule: (inout Parser) throws -> T) throws -> T {
        guard depth < Self.maxDepth else { throw PyError.syntax("too many nested expressions", at: location) }
        depth += 1
        defer { depth -= 1 }
        return try rule(&self)
    }

    /// `test`: a conditional expression or a lambda.
    mutating func expression() throws -> Expr { try nested { try $0.namedExpression() } }

    /// `name := value` (the walrus), else a conditional expression.
    private mutating func namedExpression() throws -> Expr {
        guard case .name(let name) = token.kind, !Self.keywords.contains(name), tokens[p + 1].kind == .op(":=") else {
            return try conditionalExpression()
        }
        let start = advance().location
        advance()
        return Expr(kind: .namedExpr(name: name, value: try expression()), location: start)
    }

    private mutating func conditionalExpression() throws -> Expr {
        if isName("lambda") { return try lambda() }
        let start = location
        let value = try orExpression()
        guard isName("if") else { return value }
        advance()
        let test = try orExpression()
        try expectName("else")
        return Expr(kind: .conditional(test: test, then: value, otherwise: try expression()), location: start)
    }

    private mutating func lambda() throws -> Expr {
        let start = advance().location
        let parameters = try parameterList(closing: ":")
        try expect(":")
        let outer = functionYields
        functionYields = nil
        defer { functionYields = outer }
        return Expr(kind: .lambda(parameters, try expression()), location: start)
    }

    private mutating func orExpression(allowIn: Bool = true) throws -> Expr {
        var left = try andExpression(allowIn: allowIn)
        while isName("or") {
            let at = advance().location
            left = Expr(kind: .logical(.or, left, try andExpression(allowIn: allowIn)), location: at)
        }
        return left
    }

    private mutating func andExpression(allowIn: Bool) throws -> Expr {
        var left = try notExpression(allowIn: allowIn)
        while isName("and") {
            let at = advance().location
            left = Expr(kind: .logical(.and, left, try notExpression(allowIn: allowIn)), location: at)
        }
        return left
    }

    private mutating func notExpression(allowIn: Bool) throws -> Expr {
        guard isName("not") else { return try comparison(allowIn: allowIn) }
        let start = advance().location
        return Expr(kind: .unary(.not, try nested { try $0.notExpression(allowIn: allowIn) }), location: start)
    }

    private mutating func comparisonOperator(allowIn: Bool) -> ComparisonOperator? {
        switch token.kind {
        case .op(let op): return ComparisonOperator(rawValue: op)
        case .name("in") where allowIn: return .in
        case .name("is"): return tokens[p + 1].kind == .name("not") ? .isNot : .is
        case .name("not") where tokens[p + 1].kind == .name("in") && allowIn: return .notIn
        default: return nil
        }
    }

    private mutating func comparison(allowIn: Bool) throws -> Expr {
        let left = try bitwiseOr()
        var rest = [(op: ComparisonOperator, rhs: Expr)]()
        while let op = comparisonOperator(allowIn: allowIn) {
            advance()
            if op == .isNot || op == .notIn { advance() }
            rest.append((op, try bitwiseOr()))
        }
        return rest.isEmpty ? left : Expr(kind: .compare(left, rest), location: left.location)
    }

    private mutating func bitwiseOr() throws -> Expr { try binaryLevel([.bitOr]) { try $0.bitwiseXor() } }

    private mutating func bitwiseXor() throws -> Expr { try binaryLevel([.bitXor]) { try $0.bitwiseAnd() } }

    private mutating func bitwiseAnd() throws -> Expr { try binaryLevel([.bitAnd]) { try $0.shift() } }

    private mutating func shift() throws -> Expr { try binaryLevel([.leftShift, .rightShift]) { try $0.arithmetic() } }

    private mutating func binaryLevel(_ ops: Set<BinaryOperator>, _ next: (inout Parser) throws -> Expr) throws -> Expr {
        var left = try next(&self)
        while case .op(let text) = token.kind, let op = BinaryOperator(rawValue: text), ops.contains(op) {
            let at = advance().location
            left = Expr(kind: .binary(op, left, try next(&self)), location: at)
        }
        return left
    }

    private mutating func arithmetic() throws -> Expr { try binaryLevel([.add, .subtract]) { try $0.term() } }

    private mutating func term() throws -> Expr { try binaryLevel([.multiply, .divide, .floorDivide, .modulo, .matrixMultiply]) { try $0.factor() } }

    private mutating func factor() throws -> Expr {
        if case .op(let text) = token.kind, let op = UnaryOperator(rawValue: text), op != .not {
            let start = advance().location
            return Expr(kind: .unary(op, try nested { try $0.factor() }), location: start)
        }
        return try power()
    }

    private mutating func power() throws -> Expr {
        let base = try primary()
        guard isOp("**") else { return base }
        let at = advance().location
        return Expr(kind: .binary(.power, base, try nested { try $0.factor() }), location: at)
    }

    /// An atom followed by calls, subscripts and attribute accesses.
    mutating func primary() throws -> Expr {
        var value = try atom()
        while true {
            let at = location
            if accept("(") {
                value = Expr(kind: .call(value, try arguments()), location: value.location)
                try expect(")")
            } else if accept("[") {
                value = Expr(kind: .subscript(value, try sliceItems()), location: at)
                try expect("]")
            } else if accept(".") {
                value = Expr(kind: .attribute(value, try identifier()), location: at)
            } else {
                return value
            }
        }
    }

    private mutating func arguments() throws -> [Argument] {
        var arguments = [Argument]()
        while !isOp(")") {
            if accept("**") {
                arguments.append(.unpackMapping(try expression()))
            } else if accept("*") {
                arguments.append(.unpack(try expression()))
            } else if case .name(let name) = token.kind, tokens[p + 1].kind == .op("=") {
                advance(); advance()
                arguments.append(.keyword(name, try expression()))
            } else {
                let value = try expression()
                if isName("for") {
                    let comprehension = Expr(kind: .generatorExpression(value, try comprehensions()), location: value.location)
                    arguments.append(.positional(comprehension))
                } else {
                    arguments.append(.positional(value))
                }
            }
            if !accept(",") { break }
        }
        return arguments
    }

    private mutating func sliceItems() throws -> [SliceItem] {
        var items = [SliceItem]()
        repeat {
            if isOp("]") { break }
            let start = isOp(":") ? nil : try expression()
            if accept(":") {
                let stop = isOp(":") || isOp("]") || isOp(",") ? nil : try expression()
                let step = accept(":") && !isOp("]") && !isOp(",") ? try expression() : nil
                items.append(.slice(start, stop, step))
            } else {
                items.append(.index(start!))
            }
        } while accept(",")
        return items
    }

    private mutating func comprehensions() throws -> [Comprehension] {
        var clauses = [Comprehension]()
        while acceptName("for") {
            let target = try targetExpressionList()
            try expectName("in")
            let iterable = try orExpression()
            var conditions = [Expr]()
            while acceptName("if") { conditions.append(try orExpression()) }
            clauses.append(Comprehension(target: target, iterable: iterable, conditions: conditions))
        }
        return clauses
    }

    private mutating func atom() throws -> Expr {
        let start = location
        func expr(_ kind: Expr.Kind) -> Expr { Expr(kind: kind, location: start) }
        switch token.kind {
        case .int(let v): advance(); return expr(Int(exactly: v).map(Expr.Kind.smallInt) ?? .int(v))
        case .float(let v): advance(); return expr(.float(v))
        case .string, .fstring: return try strings()
        case .name("None"): advance(); return expr(.none)
        case .name("True"): advance(); return expr(.true)
        case .name("False"): advance(); return expr(.false)
        case .name(let n) where !Self.keywords.contains(n): advance(); return expr(.name(n))
        case .op("..."): advance(); return expr(.ellipsis)
        case .op("("):
            advance()
            if accept(")") { return expr(.tuple([])) }
            if isName("yield") {
                let value = try yieldExpression()
                try expect(")")
                return value
            }
            let first = try isOp("*") ? starred() : expression()
            if isName("for") {
                let comprehension = expr(.generatorExpression(first, try comprehensions()))
                try expect(")")
                return comprehension
            }
            guard accept(",") else { try expect(")"); return first }
            var items = [first]
            while !isOp(")") {
                items.append(try isOp("*") ? starred() : expression())
                if !accept(",") { break }
            }
            try expect(")")
            return expr(.tuple(items))
        case .op("["):
            advance()
            if accept("]") { return expr(.list([])) }
            let first = try isOp("*") ? starred() : expression()
            if isName("for") {
                let comprehension = expr(.listComprehension(first, try comprehensions()))
                try expect("]")
                return comprehension
            }
            var items = [first]
            while accept(",") && !isOp("]") { items.append(try isOp("*") ? starred() : expression()) }
            try expect("]")
            return expr(.list(items))
        case .op("{"):
            return try dictionary()
        default:
            throw unexpected(expecting: "an expression")
        }
    }

    private mutating func dictionary() throws -> Expr {
        let start = advance().location
        var entries = [(key: Expr?, value: Expr)]()
        while !isOp("}") {
            if accept("**") {
                entries.append((nil, try bitwiseOr()))
            } else {
                if entries.isEmpty && isOp("*") { return try set(from: try starred(), start) }
                let key = try expression()
                guard accept(":") else {
                    guard entries.isEmpty else { throw unexpected(expecting: "':'") }
                    return try set(from: key, start)
                }
                let value = try expression()
                if isName("for") && entries.isEmpty {
                    let comprehension = Expr(kind: .dictComprehension(key: key, value: value, try comprehensions()), location: start)
                    try expect("}")
                    return comprehension
                }
                entries.append((key, value))
            }
            if !accept(",") { break }
        }
        try expect("}")
        return Expr(kind: .dict(entries), location: start)
    }

    /// The rest of `{a, b, *c}` or `{x for x in xs}` after its first element.
    private mutating func set(from first: Expr, _ start: SourceLocation) throws -> Expr {
        if isName("for") {
            let comprehension = Expr(kind: .setComprehension(first, try comprehensions()), location: start)
            try expect("}")
            return comprehension
        }
        var items = [first]
        while accept(",") && !isOp("}") { items.append(try isOp("*") ? starred() : expression()) }
        try expect("}")
        return Expr(kind: .set(items), location: start)
    }

    /// Adjacent string literals, concatenated; f-strings among them are split into parts.
    private mutating func strings() throws -> Expr {
        let start = location
        var parts = [FStringPart]()
        var formatted = false
        while true {
            switch token.kind {
            case .string(let s): parts.append(.text(s))
            case .fstring(let body, let raw):
                formatted = true
                parts += try FStringParser.parse(body, raw: raw, at: token.location)
            default:
                if !formatted {
                    return Expr(kind: .string(parts.map { if case .text(let t) = $0 { return t } else { return "" } }.joined()), location: start)
                }
                return Expr(kind: .fstring(parts), location: start)
            }
            advance()
        }
    }
}
