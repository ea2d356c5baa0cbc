import BigInt

/// An expression node and where it starts.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case name(String)
        /// An int literal past 64 bits; `smallInt` is one within (the common case, evaluated without BigInt).
        case int(BigInt)
        case smallInt(Int)
        case float(Double)
        case string(String)
        case fstring([FStringPart])
        case none, `true`, `false`, ellipsis
        case list([Expr])
        case tuple([Expr])
        case dict([(key: Expr?, value: Expr)])          // key nil: `**mapping`
        case listComprehension(Expr, [Comprehension])
        /// `(x for x in xs)`: a lazy generator object.
        case generatorExpression(Expr, [Comprehension])
        case set([Expr])
        case setComprehension(Expr, [Comprehension])
        case dictComprehension(key: Expr, value: Expr, [Comprehension])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case logical(LogicalOperator, Expr, Expr)
        case compare(Expr, [(op: ComparisonOperator, rhs: Expr)])   // chained: a < b <= c
        case conditional(test: Expr, then: Expr, otherwise: Expr)
        case lambda([Parameter], Expr)
        case call(Expr, [Argument])
        case attribute(Expr, String)
        case `subscript`(Expr, [SliceItem])
        case starred(Expr)
        /// `(name := value)`: assigns and gives the value.
        case namedExpr(name: String, value: Expr)
        /// `yield`, `yield value`: hands a value to the generator's caller and gives what it sends back.
        case yield(Expr?)
        /// `yield from iterable`: yields each item, and gives a generator's return value.
        case yieldFrom(Expr)
    }

    public let kind: Kind
    public let location: SourceLocation
}

/// A piece of an f-string: literal text, or an expression with its conversion (`!r`) and format spec.
public enum FStringPart: Sendable {
    case text(String)
    case value(Expr, conversion: Character?, spec: [FStringPart])
}

/// `for target in iterable if condition...` inside a comprehension.
public struct Comprehension: Sendable {
    public let target: Expr
    public let iterable: Expr
    public let conditions: [Expr]
}

/// One item of a subscript: an index expression or a slice `start:stop:step`.
public enum SliceItem: Sendable {
    case index(Expr)
    case slice(Expr?, Expr?, Expr?)
}

/// A call argument: positional, `name=value`, `*args` or `**kwargs`.
public enum Argument: Sendable {
    case positional(Expr)
    case keyword(String, Expr)
    case unpack(Expr)
    case unpackMapping(Expr)
}

/// A `def` or `lambda` parameter, with its default.
public struct Parameter: Sendable {
    public enum Kind: Sendable { case normal, keywordOnly, varArgs, varKeywords }
    public let name: String
    public let defaultValue: Expr?
    public let kind: Kind
}

/// A statement node and where it starts.
public struct Stmt: Sendable {
    public indirect enum Kind: Sendable {
        case expression(Expr)
        case assign(targets: [Expr], value: Expr)
        case augmentedAssign(target: Expr, op: BinaryOperator, value: Expr)
        /// `target: annotation` and `target: annotation = value` (PEP 526).
        case annotatedAssign(target: Expr, annotation: Expr, value: Expr?)
        case `if`(branches: [(test: Expr, body: [Stmt])], otherwise: [Stmt])
        case `for`(target: Expr, iterable: Expr, body: [Stmt], otherwise: [Stmt])
        case `while`(test: Expr, body: [Stmt], otherwise: [Stmt])
        case `break`, `continue`, pass
        case `return`(Expr?)
        /// `def`; a body with `yield` makes a generator function.
        case function(name: String, parameters: [Parameter], body: [Stmt], isGenerator: Bool)
        /// `class NAME(BASES):` and its body.
        case classDefinition(name: String, bases: [Expr], body: [Stmt])
        /// `@decorator` lines over a `def` or `class`: each applied to what it defines, the innermost first.
        case decorated([Expr], Stmt)
        case with(items: [(context: Expr, target: Expr?)], body: [Stmt])
        case `import`([(module: String, alias: String?)])
        case fromImport(module: String, names: [(name: String, alias: String?)])
        /// `from module import *`: every public name of the module.
        case fromImportAll(module: String)
        case delete([Expr])
        case assert(Expr, message: Expr?)
        /// `global a, b` / `nonlocal a, b`: where assignments to the names go in this function.
        case declare(ScopeDeclaration, [String])
        /// `raise`, `raise error`, `raise error from cause`.
        case raise(Expr?, cause: Expr?)
        case `try`(body: [Stmt], handlers: [ExceptHandler], otherwise: [Stmt], finally: [Stmt])
    }

    public let kind: Kind
    public let location: SourceLocation
    /// Whether an expression statement ended with `;` (the REPL then shows no `Out`).
    public var silenced = false
}

/// `except TYPE as NAME:` and its block; a bare `except:` has no type.
public struct ExceptHandler: Sendable {
    public let type: Expr?
    public let name: String?
    public let body: [Stmt]
    public let location: SourceLocation
}

/// Where a name declared by `global` or `nonlocal` is bound.
public enum ScopeDeclaration: String, Sendable {
    case global, nonlocal
}

extension Expr {
    /// Whether CPython's AST optimiser folds it into a constant: a literal number, string, None or bool, a sign or
    /// arithmetic on such, a tuple of such.
    var isConstant: Bool {
        switch kind {
        case .int, .smallInt, .float, .string, .none, .true, .false: true
        case .unary(_, let operand): operand.isConstant
        case .binary(let op, let l, let r): !op.isBitwise && op != .matrixMultiply && l.isConstant && r.isConstant
        case .tuple(let items): items.allSatisfy(\.isConstant)
        default: false
        }
    }
}
