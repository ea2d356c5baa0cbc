/// The line-breaking engine of IPython's `IPython.lib.pretty.PrettyPrinter`, ported step for step: text and
/// breakable separators are buffered in nested groups; when the pending line would pass the width, the outermost
/// group that has separators (`GroupQueue.deq`) breaks all of its separators into newlines at its indentation.
/// `PrettyPrinter` drives it for Python values.
final class PrettyLayout {
    /// A group of separators that break together (`Group`).
    final class Group {
        let depth: Int
        var breakables: [Breakable] = []
        var wantBreak = false

        init(depth: Int) { self.depth = depth }
    }

    /// A separator that is either `sep` or a newline at the indentation it was made with (`Breakable`).
    final class Breakable {
        let separator: String
        let indentation: Int
        unowned let group: Group

        init(_ separator: String, indentation: Int, group: Group) {
            self.separator = separator
            self.indentation = indentation
            self.group = group
        }
    }

    /// A buffered piece of output: literal text (consecutive texts share one run) or a separator.
    private enum Piece {
        case text(TextRun)
        case breakable(Breakable)

        var width: Int {
            switch self {
            case .text(let run): run.width
            case .breakable(let breakable): breakable.separator.unicodeScalars.count
            }
        }
    }

    private final class TextRun {
        var text = ""
        var width = 0
    }

    private let maxWidth: Int
    private(set) var output = ""
    private var outputWidth = 0
    private var bufferWidth = 0
    private var buffer: [Piece] = []
    private var groupStack: [Group]
    /// `GroupQueue.queue`: the open groups by depth.
    private var queue: [[Group]] = []
    private var indentation = 0

    init(maxWidth: Int) {
        self.maxWidth = maxWidth
        let root = Group(depth: 0)
        groupStack = [root]
        enqueue(root)
    }

    /// Literal text (`text`).
    func text(_ text: String) {
        let width = text.unicodeScalars.count
        guard !buffer.isEmpty else {
            output += text
            outputWidth += width
            return
        }
        let run: TextRun
        if case .text(let last) = buffer.last! { run = last } else { run = TextRun(); buffer.append(.text(run)) }
        run.text += text
        run.width += width
        bufferWidth += width
        breakOuterGroups()
    }

    /// A separator: a space, or a newline if its group breaks (`breakable`).
    func breakable(_ separator: String = " ") {
        let group = groupStack.last!
        if group.wantBreak {
            flush()
            newline()
        } else {
            let breakable = Breakable(separator, indentation: indentation, group: group)
            group.breakables.append(breakable)
            buffer.append(.breakable(breakable))
            bufferWidth += separator.unicodeScalars.count
            breakOuterGroups()
        }
    }

    /// A newline that is always made, breaking the outermost group first (`break_`).
    func forcedBreak() {
        if let group = dequeue() { breakOneGroup(group) }
        flush()
        newline()
    }

    /// Opens a group after `open`; lines it breaks are indented `indent` more (`begin_group`).
    func beginGroup(indent: Int = 0, open: String = "") {
        if !open.isEmpty { text(open) }
        let group = Group(depth: groupStack.last!.depth + 1)
        groupStack.append(group)
        enqueue(group)
        indentation += indent
    }

    /// Closes the innermost group with `close` (`end_group`).
    func endGroup(dedent: Int = 0, close: String = "") {
        indentation -= dedent
        let group = groupStack.removeLast()
        if group.breakables.isEmpty { remove(group) }
        if !close.isEmpty { text(close) }
    }

    /// Writes out everything buffered (`flush`).
    func flush() {
        for piece in buffer { outputWidth = write(piece) }
        buffer.removeAll()
        bufferWidth = 0
    }

    private func newline() {
        output += "\n" + String(repeating: " ", count: indentation)
        outputWidth = indentation
        bufferWidth = 0
    }

    /// Writes one piece; returns the width of the output line after it (`Printable.output`).
    private func write(_ piece: Piece) -> Int {
        switch piece {
        case .text(let run):
            output += run.text
            return outputWidth + run.width
        case .breakable(let breakable):
            let group = breakable.group
            group.breakables.removeFirst()
            if group.wantBreak {
                output += "\n" + String(repeating: " ", count: breakable.indentation)
                return breakable.indentation
            }
            if group.breakables.isEmpty { remove(group) }
            output += breakable.separator
            return outputWidth + breakable.separator.unicodeScalars.count
        }
    }

    private func breakOuterGroups() {
        while maxWidth < outputWidth + bufferWidth {
            guard let group = dequeue() else { return }
            breakOneGroup(group)
        }
    }

    private func breakOneGroup(_ group: Group) {
        while !group.breakables.isEmpty { writeFirstBuffered() }
        while case .text? = buffer.first { writeFirstBuffered() }
    }

    private func writeFirstBuffered() {
        let piece = buffer.removeFirst()
        outputWidth = write(piece)
        bufferWidth -= piece.width
    }

    // MARK: GroupQueue

    private func enqueue(_ group: Group) {
        while group.depth > queue.count - 1 { queue.append([]) }
        queue[group.depth].append(group)
    }

    /// The outermost group with separators, now breaking; shallower groups without any are marked breaking and
    /// dropped. As IPython's `deq`, the entry removed from the queue is the one at the found group's position
    /// counted from the end.
    private func dequeue() -> Group? {
        for depth in queue.indices {
            let stack = queue[depth]
            for (index, group) in stack.reversed().enumerated() where !group.breakables.isEmpty {
                queue[depth].remove(at: index)
                group.wantBreak = true
                return group
            }
            for group in stack { group.wantBreak = true }
            queue[depth].removeAll()
        }
        return nil
    }

    private func remove(_ group: Group) {
        guard group.depth < queue.count, let index = queue[group.depth].firstIndex(where: { $0 === group }) else { return }
        queue[group.depth].remove(at: index)
    }
}
