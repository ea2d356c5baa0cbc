/// The resolver pass Python's compiler makes over a function body: the names it binds anywhere in it (assignment,
/// `for`, `with ... as`, `except ... as`, `import`, `def`, `del`), which are then local in the whole body, unless
/// declared `global` or `nonlocal`. Reading one before it is bound is an `UnboundLocalError`, not a read of the
/// enclosing scope's variable of that name. Nested functions and comprehensions have scopes of their own.
enum LocalNames {
    static func of(_ body: [Stmt]) -> Set<String> {
        var bound = Set<String>(), declared = Set<String>()
        collect(body, into: &bound, declared: &declared)
        return bound.subtracting(declared)
    }

    private static func collect(_ statements: [Stmt], into bound: inout Set<String>, declared: inout Set<String>) {
        for statement in statements {
            switch statement.kind {
            case .assign(let targets, _): for target in targets { names(in: target, into: &bound) }
            case .augmentedAssign(let target, _, _), .annotatedAssign(let target, _, _): names(in: target, into: &bound)
            case .for(let target, _, let body, let otherwise):
                names(in: target, into: &bound)
                collect(body + otherwise, into: &bound, declared: &declared)
            case .if(let branches, let otherwise):
                collect(branches.flatMap(\.body) + otherwise, into: &bound, declared: &declared)
            case .while(_, let body, let otherwise): collect(body + otherwise, into: &bound, declared: &declared)
            case .with(let items, let body):
                for target in items.compactMap(\.target) { names(in: target, into: &bound) }
                collect(body, into: &bound, declared: &declared)
            case .try(let body, let handlers, let otherwise, let finally):
                bound.formUnion(handlers.compactMap(\.name))
                collect(body + handlers.flatMap(\.body) + otherwise + finally, into: &bound, declared: &declared)
            case .function(let name, _, _, _), .classDefinition(let name, _, _): bound.insert(name)
            case .decorated(_, let definition): collect([definition], into: &bound, declared: &declared)
            case .import(let modules):
                for (module, alias) in modules { bound.insert(alias ?? String(module.split(separator: ".")[0])) }
            case .fromImport(_, let imported): for (name, alias) in imported { bound.insert(alias ?? name) }
            case .delete(let targets): for target in targets { names(in: target, into: &bound) }
            case .declare(_, let names): declared.formUnion(names)
            default: break
            }
        }
    }

    /// The names an assignment target binds: `x`, `a, (b, *c)`; not `x.attr` or `x[i]`.
    private static func names(in target: Expr, into bound: inout Set<String>) {
        switch target.kind {
        case .name(let name): bound.insert(name)
        case .tuple(let items), .list(let items): for item in items { names(in: item, into: &bound) }
        case .starred(let inner): names(in: inner, into: &bound)
        default: break
        }
    }
}
