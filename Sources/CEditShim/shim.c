#define _XOPEN_SOURCE 600
#include "CEditShim.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <histedit.h>

#include "lazy_library.h"

#define EDIT_FUNCTIONS(F)                                                   \
    F(EditLine *, el_init, (const char *, FILE *, FILE *, FILE *))          \
    F(void, el_end, (EditLine *))                                           \
    F(void, el_reset, (EditLine *))                                         \
    F(const char *, el_gets, (EditLine *, int *))                           \
    F(void, el_push, (EditLine *, const char *))                            \
    F(int, el_set, (EditLine *, int, ...))                                  \
    F(int, el_get, (EditLine *, int, ...))                                  \
    F(int, el_source, (EditLine *, const char *))                           \
    F(const LineInfo *, el_line, (EditLine *))                              \
    F(int, el_insertstr, (EditLine *, const char *))                        \
    F(History *, history_init, (void))                                      \
    F(void, history_end, (History *))                                       \
    F(int, history, (History *, HistEvent *, int, ...))

/* libedit, opened with dlopen when the REPL starts rather than linked, so that other commands start without it. */
LAZY_LIBRARY(edit, "libedit.so.2", "libedit2", EDIT_FUNCTIONS, NULL, NULL)

struct shim_editor {
    EditLine *el;
    History *history;
    char prompt[256];
};

static shim_completer current_completer = NULL;
/* Set by Ctrl-C while a line is edited: the read ends and reports an interrupt. */
static int line_interrupted = 0;

static char *prompt_of(EditLine *el) {
    shim_editor *editor = NULL;
    edit_functions.el_get(el, EL_CLIENTDATA, &editor);
    return editor ? editor->prompt : "";
}

static unsigned char complete(EditLine *el, int ch) {
    (void)ch;
    if (!current_completer) return CC_ERROR;
    const LineInfo *info = edit_functions.el_line(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    char *line = malloc(length + 1);
    if (!line) return CC_ERROR;
    memcpy(line, info->buffer, length);
    line[length] = 0;
    char insert[1024] = {0};
    static char listing[16384];
    listing[0] = 0;
    int found = current_completer(line, insert, sizeof insert, listing, sizeof listing);
    free(line);
    if (!found) return CC_REFRESH_BEEP;
    if (insert[0]) edit_functions.el_insertstr(el, insert);
    if (listing[0]) {
        fprintf(stdout, "\n%s\n", listing);
        fflush(stdout);
        return CC_REDISPLAY;
    }
    return CC_REFRESH;
}

/* Ctrl-C while editing: abandon the line. (Editing keeps the terminal's isig off, so Ctrl-C arrives as a key
   rather than as SIGINT, which libedit's read would retry once, keeping the typed text.) */
static unsigned char interrupt_line(EditLine *el, int ch) {
    (void)el;
    (void)ch;
    line_interrupted = 1;
    return CC_EOF;
}

const char *shim_editor_load(void) { return lazy_library_load(&edit); }

shim_editor *shim_editor_create(const char *program, int history_size) {
    if (shim_editor_load()) return NULL;
    setlocale(LC_ALL, "");
    shim_editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->el = edit_functions.el_init(program, stdin, stdout, stderr);
    if (!editor->el) { free(editor); return NULL; }
    editor->history = edit_functions.history_init();
    HistEvent event;
    edit_functions.history(editor->history, &event, H_SETSIZE, history_size);
    edit_functions.history(editor->history, &event, H_SETUNIQUE, 1);
    edit_functions.el_set(editor->el, EL_CLIENTDATA, editor);
    edit_functions.el_set(editor->el, EL_PROMPT, prompt_of);
    edit_functions.el_set(editor->el, EL_EDITOR, "emacs");
    edit_functions.el_set(editor->el, EL_HIST, edit_functions.history, editor->history);
    edit_functions.el_set(editor->el, EL_ADDFN, "sbpl-complete", "Complete the name before the cursor", complete);
    edit_functions.el_set(editor->el, EL_BIND, "^I", "sbpl-complete", NULL);
    edit_functions.el_set(editor->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    edit_functions.el_set(editor->el, EL_SETTY, "-d", "-isig", NULL);
    edit_functions.el_set(editor->el, EL_ADDFN, "sbpl-interrupt", "Abandon the line being typed", interrupt_line);
    edit_functions.el_set(editor->el, EL_BIND, "^C", "sbpl-interrupt", NULL);
    edit_functions.el_source(editor->el, NULL);
    return editor;
}

void shim_editor_destroy(shim_editor *editor) {
    if (!editor) return;
    edit_functions.history_end(editor->history);
    edit_functions.el_end(editor->el);
    free(editor);
}

// Keys typed while a cell ran reached the terminal in its ordinary (canonical) mode, as whole lines, and a Ctrl-D
// there became an end-of-file mark that the editor's raw mode would read as a NUL and drop, leaving sbpl waiting.
// So before the editor starts, the lines are taken and pushed to it as if typed now; 1 when an end of file comes
// first (the person asked to leave). The lines go in one push: the editor reads its last push first.
static int take_typed_ahead(shim_editor *editor) {
    char lines[8192];
    size_t taken = 0;
    int ended = 0;
    struct pollfd input = {STDIN_FILENO, POLLIN, 0};
    while (taken < sizeof lines - 1 && isatty(STDIN_FILENO) && poll(&input, 1, 0) > 0 && (input.revents & POLLIN)) {
        ssize_t count = read(STDIN_FILENO, lines + taken, sizeof lines - 1 - taken);
        if (count <= 0) {
            ended = count == 0 && taken == 0;
            break;
        }
        taken += (size_t)count;
    }
    lines[taken] = 0;
    if (taken > 0) edit_functions.el_push(editor->el, lines);
    return ended;
}

char *shim_editor_read(shim_editor *editor, const char *prompt, const char *initial, int *interrupted) {
    snprintf(editor->prompt, sizeof editor->prompt, "%s", prompt);
    *interrupted = 0;
    if (take_typed_ahead(editor)) return NULL;
    if (initial && initial[0]) edit_functions.el_push(editor->el, initial);
    line_interrupted = 0;
    int count = 0;
    errno = 0;
    const char *line = edit_functions.el_gets(editor->el, &count);
    if (!line) {
        if (line_interrupted || (count == -1 && errno == EINTR)) {
            *interrupted = 1;
            edit_functions.el_reset(editor->el);
        }
        return NULL;
    }
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
    char *copy = malloc(length + 1);
    if (!copy) return NULL;
    memcpy(copy, line, length);
    copy[length] = 0;
    return copy;
}

void shim_history_add(shim_editor *editor, const char *entry) {
    HistEvent event;
    edit_functions.history(editor->history, &event, H_ENTER, entry);
}

int shim_history_load(shim_editor *editor, const char *path) {
    HistEvent event;
    return edit_functions.history(editor->history, &event, H_LOAD, path);
}

int shim_history_save(shim_editor *editor, const char *path) {
    HistEvent event;
    return edit_functions.history(editor->history, &event, H_SAVE, path);
}

void shim_set_completer(shim_completer completer) { current_completer = completer; }

void shim_on_sigint(void (*handler)(int)) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
}

int shim_input_pending(void) {
    struct pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&fd, 1, 0) > 0;
}

int shim_set_window_size(int fd, int rows, int columns) {
    struct winsize size = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)columns};
    return ioctl(fd, TIOCSWINSZ, &size);
}

int shim_open_pty(int *child) {
    int controller = posix_openpt(O_RDWR | O_NOCTTY);
    if (controller < 0) return -1;
    const char *name = NULL;
    if (grantpt(controller) != 0 || unlockpt(controller) != 0 || !(name = ptsname(controller))) {
        close(controller);
        return -1;
    }
    *child = open(name, O_RDWR | O_NOCTTY);
    if (*child < 0) {
        close(controller);
        return -1;
    }
    return controller;
}
