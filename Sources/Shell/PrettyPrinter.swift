import Language

/// IPython's display of a value (`IPython.lib.pretty.pretty`, as `Out[n]:` and a notebook's `text/plain` show it):
/// lists, tuples, dicts and sets laid out on one line when they fit in 79 columns, else one item per line under the
/// opening bracket; every other value is its `repr`, its lines kept (a tensor prints exactly as PyTorch's repr).
///
/// ```
/// [{'label': 'POSITIVE', 'score': 0.9598048329353333},
///  {'label': 'NEGATIVE', 'score': 0.9994558691978455}]
/// ```
///
/// Sets are laid out as lists are, their elements sorted as IPython sorts them. Walked with an explicit stack, so
/// deep nesting costs no call stack.
public enum PrettyPrinter {
    /// IPython's `PlainTextFormatter.max_width`.
    public static let width = 79
    /// IPython's `MAX_SEQ_LENGTH`: items past it show as `...`.
    static let maxItems = 1000
    /// Containers nested deeper than this show as their repr (IPython would have hit Python's recursion limit).
    static let maxDepth = 500

    /// `pretty(value)` as IPython lays it out in `width` columns.
    public static func pretty(_ value: Value, width: Int = width) -> String {
        guard nesting(of: value) <= maxDepth else { return value.repr }
        var walk = Walk(layout: PrettyLayout(maxWidth: width))
        walk.run(value)
        walk.layout.flush()
        return walk.layout.output
    }

    /// How deeply lists, tuples and dicts nest in `value`, counted up to `maxDepth + 1`.
    private static func nesting(of value: Value) -> Int {
        var deepest = 0
        var pending = [(value, 0)]
        var seen = Set<ObjectIdentifier>()
        while let (next, depth) = pending.popLast(), deepest <= maxDepth {
            deepest = max(deepest, depth)
            switch next {
            case .list(let list) where seen.insert(ObjectIdentifier(list)).inserted: pending += list.items.map { ($0, depth + 1) }
            case .dict(let dict) where seen.insert(ObjectIdentifier(dict)).inserted:
                pending += dict.items.flatMap { [($0.0, depth + 1), ($0.1, depth + 1)] }
            case .tuple(let items): pending += items.map { ($0, depth + 1) }
            default: break
            }
        }
        return deepest
    }

    /// The layout calls of `RepresentationPrinter.pretty` and the list, tuple and dict printers, scheduled on a
    /// stack so that they run in order.
    private struct Walk {
        enum Step {
            case value(Value)
            case text(String)
            case separator
            case close(indent: Int, text: String)
            /// The value's own group ends; a container may appear again without being a cycle.
            case leave(ObjectIdentifier?)
        }

        let layout: PrettyLayout
        private var steps = [Step]()
        /// The containers being printed (`RepresentationPrinter.stack`).
        private var open = [ObjectIdentifier: Int]()

        init(layout: PrettyLayout) { self.layout = layout }

        mutating func run(_ value: Value) {
            steps.append(.value(value))
            while let step = steps.popLast() {
                switch step {
                case .value(let value): enter(value)
                case .text(let text): layout.text(text)
                case .separator: layout.breakable()
                case .close(let indent, let text): layout.endGroup(dedent: indent, close: text)
                case .leave(let id):
                    layout.endGroup()
                    if let id { open[id, default: 1] -= 1 }
                }
            }
        }

        /// `pretty(obj)`: a group around the value's printer.
        private mutating func enter(_ value: Value) {
            layout.beginGroup()
            let id = Self.identity(of: value)
            let cycle = id.map { open[$0, default: 0] > 0 } ?? false
            if let id { open[id, default: 0] += 1 }
            steps.append(.leave(id))
            switch value {
            case .list(let list):
                guard !cycle else { return layout.text("[...]") }
                items(list.items.map { [.value($0)] }, open: "[", close: "]")
            case .tuple(let values):
                items(values.map { [.value($0)] }, open: "(", close: ")", trailingComma: values.count == 1)
            case .dict(let dict):
                guard !cycle else { return layout.text("{...}") }
                items(dict.items.map { [.value($0.0), .text(": "), .value($0.1)] }, open: "{", close: "}")
            case .object(let set as PySet) where set.length > 0:
                // sorted when they compare (else by their str), unless there are too many
                let elements = set.length < PrettyPrinter.maxItems ? set.sortedForDisplay : set.items
                let (open, close) = set.typeName == "set" ? ("{", "}") : ("frozenset({", "})")
                items(elements.map { [.value($0)] }, open: open, close: close)
            default:
                reprLines(value.repr)
            }
        }

        /// `begin_group(len(open), open)`, the items separated by `,` and a separator (past `maxItems`: `...`),
        /// a `,` after a one-item tuple's item, `end_group(len(open), close)`.
        private mutating func items(_ items: [[Step]], open: String, close: String, trailingComma: Bool = false) {
            layout.beginGroup(indent: open.count, open: open)
            var scheduled = [Step]()
            for (index, item) in items.prefix(PrettyPrinter.maxItems).enumerated() {
                if index > 0 { scheduled += [.text(","), .separator] }
                scheduled += item
            }
            if items.count > PrettyPrinter.maxItems { scheduled += [.text(","), .separator, .text("...")] }
            if trailingComma { scheduled.append(.text(",")) }
            scheduled.append(.close(indent: open.count, text: close))
            steps += scheduled.reversed()
        }

        /// `_repr_pprint`: the repr's lines in a group, a forced break between them.
        private func reprLines(_ text: String) {
            layout.beginGroup()
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }  // str.splitlines
            for (index, line) in lines.enumerated() {
                if index > 0 { layout.forcedBreak() }
                layout.text(String(line))
            }
            layout.endGroup()
        }

        private static func identity(of value: Value) -> ObjectIdentifier? {
            switch value {
            case .list(let list): ObjectIdentifier(list)
            case .dict(let dict): ObjectIdentifier(dict)
            default: nil
            }
        }
    }
}
