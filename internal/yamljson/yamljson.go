// Package yamljson converts a YAML document, in the subset a hand-written
// rules or policy file needs, into the equivalent JSON, keeping for every
// line of the JSON the line of the YAML it came from. A loader of JSON that
// names lines in its errors can then read YAML and name the YAML's lines.
//
// The subset is YAML 1.2 without its graph and document machinery: block
// mappings and sequences (including "- key: value" entries and sequences
// at the same indentation as their key), flow sequences and mappings
// ([a, b], {a: 1}), plain, single-quoted and double-quoted scalars (over
// several lines too, but for plain ones inside flow collections), literal and folded block scalars (| and >, with
// chomping and indentation indicators), comments, and one document,
// optionally opened by "---" and closed by "...". Plain scalars are typed
// by the YAML 1.2 core schema: null, ~ and an empty value are null; true
// and false (in lower, title or upper case) are booleans; integers
// (decimal, 0o octal, 0x hex) and floats are numbers; everything else,
// dates included, is a string. Mapping keys are always strings.
//
// Anchors, aliases, tags, complex keys (?), directives (%YAML), more than
// one document, tabs in indentation, and values JSON cannot hold (.inf,
// .nan) are errors naming the line and column, never silently read as
// something else. A key given twice in one mapping is kept twice in the
// JSON, for the JSON loader to report as it reports JSON's repeats.
//
// This package imports nothing of the module.
package yamljson

import (
	"bytes"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of collections, so hostile input cannot
// exhaust the stack.
const MaxDepth = 64

// Error is a problem in the YAML input: where it is and what is wrong.
type Error struct {
	// Line is the 1-based line of the problem.
	Line int
	// Col is the 1-based column of the problem, in bytes; 0 when the
	// problem is the whole line.
	Col int
	// Msg says what is wrong.
	Msg string
}

// Error returns "line L, column C: message".
func (e *Error) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Result is a YAML document converted to JSON.
type Result struct {
	// JSON is the document as one JSON value, with each mapping member
	// and sequence element on its own line.
	JSON []byte
	// Lines gives, for each line of JSON, the 1-based line of the YAML
	// input it came from: Lines[k] for line k+1. It never decreases.
	Lines []int
}

// Convert converts data, one YAML document, into JSON. An empty document
// (nothing but comments and blank lines) is null. The error is an *Error.
func Convert(data []byte) (Result, error) {
	p, err := newParser(data)
	if err != nil {
		return Result{}, err
	}
	root, err := p.document()
	if err != nil {
		return Result{}, err
	}
	w := &writer{lines: []int{root.line}}
	w.node(root)
	return Result{JSON: w.buf, Lines: w.lines}, nil
}

// kind is the kind of a node.
type kind uint8

const (
	scalar kind = iota
	mapping
	sequence
)

// node is one parsed YAML node.
type node struct {
	kind  kind
	line  int    // where the node starts, 1-based
	value string // a scalar's text
	plain bool   // a plain scalar, typed by the core schema; else a string
	keys  []*node
	vals  []*node
	items []*node
}

// null returns an empty plain scalar (null) on the given line.
func null(line int) *node { return &node{kind: scalar, plain: true, line: line} }

// parser reads the lines of one document.
type parser struct {
	lines []string // the input's lines, without their terminators
	i     int      // the current line, 0-based
	depth int
}

func newParser(data []byte) (*parser, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{lines: strings.Split(string(data), "\n")}
	for n, l := range p.lines {
		l = strings.TrimSuffix(l, "\r")
		p.lines[n] = l
		for c := 0; c < len(l); {
			r, size := utf8.DecodeRuneInString(l[c:])
			switch {
			case r == utf8.RuneError && size == 1:
				return nil, &Error{Line: n + 1, Col: c + 1, Msg: "invalid UTF-8"}
			case r < 0x20 && r != '\t', r == 0x7f, r == 0xFEFF:
				return nil, &Error{Line: n + 1, Col: c + 1, Msg: fmt.Sprintf("control character %U (escape it in a double-quoted string)", r)}
			}
			c += size
		}
	}
	return p, nil
}

func (p *parser) fail(line, col int, format string, args ...any) error {
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// document parses the one document of the input.
func (p *parser) document() (*node, error) {
	p.skipBlank()
	if p.i < len(p.lines) && strings.HasPrefix(p.lines[p.i], "%") {
		return nil, p.fail(p.i+1, 1, "directives (%%YAML, %%TAG) are not supported")
	}
	if p.i < len(p.lines) && marker(p.lines[p.i], "---") {
		if rest := strings.TrimSpace(p.lines[p.i][3:]); rest != "" && !strings.HasPrefix(rest, "#") {
			return nil, p.fail(p.i+1, 5, "content on the \"---\" line is not supported; start it on the next line")
		}
		p.i++
	}
	start := p.i
	root, err := p.block(-1)
	if err != nil {
		return nil, err
	}
	if root.line == 0 {
		root.line = min(start+1, max(len(p.lines), 1))
	}
	p.skipBlank()
	if p.i < len(p.lines) {
		l := p.lines[p.i]
		switch {
		case marker(l, "---"):
			return nil, p.fail(p.i+1, 1, "a second document (\"---\"): the file must hold one")
		case marker(l, "..."):
			p.i++
			p.skipBlank()
			if p.i < len(p.lines) {
				return nil, p.fail(p.i+1, 1, "content after the end of the document (\"...\")")
			}
		default:
			ind, _ := indentOf(l)
			return nil, p.fail(p.i+1, ind+1, "unexpected content, less indented than the document's first line")
		}
	}
	return root, nil
}

// marker reports whether line is the document marker m ("---" or "...")
// alone or followed by white space.
func marker(line, m string) bool {
	return strings.HasPrefix(line, m) && (len(line) == 3 || line[3] == ' ' || line[3] == '\t')
}

// indentOf returns the number of spaces that indent a line, and whether
// the line holds anything but white space and a comment.
func indentOf(line string) (int, bool) {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	rest := strings.TrimLeft(line[n:], " \t")
	return n, rest != "" && rest[0] != '#'
}

// skipBlank moves past blank and comment-only lines.
func (p *parser) skipBlank() {
	for p.i < len(p.lines) {
		if _, content := indentOf(p.lines[p.i]); content {
			return
		}
		p.i++
	}
}

// content returns the next content line's index and indentation, after
// blank and comment lines, checking that it is not indented with a tab;
// ok is false at the end of the input or at a document marker.
func (p *parser) content() (ind int, ok bool, err error) {
	p.skipBlank()
	if p.i >= len(p.lines) {
		return 0, false, nil
	}
	l := p.lines[p.i]
	if marker(l, "---") || marker(l, "...") {
		return 0, false, nil
	}
	ind, _ = indentOf(l)
	if l[ind] == '\t' {
		return 0, false, p.fail(p.i+1, ind+1, "a tab in indentation (indent with spaces)")
	}
	return ind, true, nil
}

func (p *parser) enter(line, col int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.fail(line, col, "nesting deeper than %d levels", MaxDepth)
	}
	return nil
}

// seqEntry reports whether s, from a line's indentation on, starts a
// block sequence entry ("- " or "-" alone).
func seqEntry(s string) bool {
	return s == "-" || strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "-\t")
}

// block parses the node starting at the next content line when it is
// indented more than parent, and returns null (line 0) otherwise.
func (p *parser) block(parent int) (*node, error) {
	ind, ok, err := p.content()
	if err != nil {
		return nil, err
	}
	if !ok || ind <= parent {
		return null(0), nil
	}
	if err := p.enter(p.i+1, ind+1); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	l := p.lines[p.i]
	if seqEntry(l[ind:]) {
		return p.seq(ind)
	}
	if _, _, isKey, err := p.key(p.i, ind); err != nil {
		return nil, err
	} else if isKey {
		return p.mapping(ind)
	}
	return p.inline(p.i, ind, parent)
}

// seq parses a block sequence whose entries are at indentation ind.
func (p *parser) seq(ind int) (*node, error) {
	n := &node{kind: sequence, line: p.i + 1}
	for {
		li, ok, err := p.content()
		if err != nil {
			return nil, err
		}
		if !ok || li < ind {
			return n, nil
		}
		l := p.lines[p.i]
		if li > ind {
			return nil, p.fail(p.i+1, li+1, "unexpected indentation")
		}
		if !seqEntry(l[ind:]) {
			return n, nil // a mapping key after an indentless sequence
		}
		at := p.i
		// The entry's content is the rest of the line, as if the dash
		// were a space, and any more indented lines after it.
		p.lines[p.i] = l[:ind] + " " + l[ind+1:]
		item, err := p.block(ind)
		if err != nil {
			return nil, err
		}
		if item.line == 0 {
			item.line = at + 1
		}
		n.items = append(n.items, item)
	}
}

// mapping parses a block mapping whose keys are at indentation ind.
func (p *parser) mapping(ind int) (*node, error) {
	n := &node{kind: mapping, line: p.i + 1}
	for {
		li, ok, err := p.content()
		if err != nil {
			return nil, err
		}
		if !ok || li < ind {
			return n, nil
		}
		l := p.lines[p.i]
		if li > ind {
			return nil, p.fail(p.i+1, li+1, "unexpected indentation")
		}
		key, after, isKey, err := p.key(p.i, ind)
		if err != nil {
			return nil, err
		}
		if !isKey {
			if seqEntry(l[ind:]) {
				return nil, p.fail(p.i+1, ind+1, "a sequence entry among mapping keys")
			}
			return nil, p.fail(p.i+1, ind+1, "expected a mapping key (\"key: value\")")
		}
		at := p.i
		var val *node
		if v := strings.TrimLeft(l[after:], " \t"); v == "" || v[0] == '#' {
			// The value is on the lines below: more indented, or a
			// sequence at the key's own indentation.
			p.i++
			li, ok, err := p.content()
			if err != nil {
				return nil, err
			}
			if ok && li == ind && seqEntry(p.lines[p.i][ind:]) {
				if err := p.enter(p.i+1, ind+1); err != nil {
					return nil, err
				}
				val, err = p.seq(ind)
				p.depth--
			} else {
				val, err = p.block(ind)
			}
			if err != nil {
				return nil, err
			}
			if val.line == 0 {
				val.line = at + 1
			}
		} else {
			col := len(l) - len(v)
			if val, err = p.inline(at, col, ind); err != nil {
				return nil, err
			}
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, val)
	}
}

// key reads a mapping key at line i, column col: a plain or quoted scalar
// followed by ":" and white space or the end of the line. It returns the
// key, the column after the colon, and whether the line holds a key there.
func (p *parser) key(i, col int) (*node, int, bool, error) {
	l := p.lines[i]
	s := l[col:]
	switch s[0] {
	case '"', '\'':
		k, endI, endC, err := p.quoted(i, col)
		if err != nil {
			return nil, 0, false, err
		}
		if endI != i {
			return nil, 0, false, nil // a multi-line quoted scalar is no key
		}
		j := endC
		for j < len(l) && (l[j] == ' ' || l[j] == '\t') {
			j++
		}
		if j < len(l) && l[j] == ':' && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t') {
			k.plain = false
			return k, j + 1, true, nil
		}
		return nil, 0, false, nil
	case '[', '{', '|', '>':
		return nil, 0, false, nil
	case '?':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			return nil, 0, false, p.fail(i+1, col+1, "complex keys (\"? \") are not supported")
		}
	}
	if err := p.indicator(i, col); err != nil {
		return nil, 0, false, err
	}
	for j := col; j < len(l); j++ {
		switch {
		case l[j] == '#' && j > col && (l[j-1] == ' ' || l[j-1] == '\t'):
			return nil, 0, false, nil // a comment before any ": "
		case l[j] == ':' && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t'):
			text := strings.TrimRight(l[col:j], " \t")
			if text == "" {
				return nil, 0, false, p.fail(i+1, col+1, "an empty mapping key")
			}
			return &node{kind: scalar, line: i + 1, value: text}, j + 1, true, nil
		}
	}
	return nil, 0, false, nil
}

// indicator rejects a node that starts with a character the subset does
// not read: an anchor, an alias, a tag, or a reserved character.
func (p *parser) indicator(i, col int) error {
	switch p.lines[i][col] {
	case '&':
		return p.fail(i+1, col+1, "anchors (&) are not supported")
	case '*':
		return p.fail(i+1, col+1, "aliases (*) are not supported")
	case '!':
		return p.fail(i+1, col+1, "tags (!) are not supported")
	case '@', '`', '#':
		return p.fail(i+1, col+1, "%s cannot start a plain value; quote it", quote(p.lines[i][col]))
	}
	return nil
}

// inline parses a node that starts at line i, column col, in block
// context: a flow collection, a quoted scalar, a block scalar or a plain
// scalar, each of which may continue on later lines. parent is the
// indentation of the collection holding it. Afterwards p.i is the line
// after the node's last.
func (p *parser) inline(i, col, parent int) (*node, error) {
	l := p.lines[i]
	s := l[col:]
	switch s[0] {
	case '[', '{':
		n, endI, endC, err := p.flow(i, col)
		if err != nil {
			return nil, err
		}
		p.i = endI + 1
		return n, p.trailing(endI, endC)
	case '"', '\'':
		n, endI, endC, err := p.quoted(i, col)
		if err != nil {
			return nil, err
		}
		p.i = endI + 1
		return n, p.trailing(endI, endC)
	case '|', '>':
		return p.blockScalar(i, col, parent)
	case '-':
		if seqEntry(s) {
			return nil, p.fail(i+1, col+1, "a sequence cannot start on its key's line; start it on the next line")
		}
	case '?':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			return nil, p.fail(i+1, col+1, "complex keys (\"? \") are not supported")
		}
	}
	if err := p.indicator(i, col); err != nil {
		return nil, err
	}
	return p.plainBlock(i, col, parent)
}

// trailing checks that only white space and a comment follow column col
// of line i.
func (p *parser) trailing(i, col int) error {
	rest := p.lines[i][col:]
	t := strings.TrimLeft(rest, " \t")
	if t == "" || (t[0] == '#' && len(t) < len(rest)) {
		return nil
	}
	return p.fail(i+1, col+len(rest)-len(t)+1, "unexpected %s after a value", quote(t[0]))
}

// plainBlock parses a plain scalar in block context, continued on the
// following lines indented more than parent, and folded: a line break
// becomes a space, and each empty line a line break.
func (p *parser) plainBlock(i, col, parent int) (*node, error) {
	n := &node{kind: scalar, plain: true, line: i + 1}
	var parts []string
	line, c := i, col
	empty := 0
	for {
		text, comment, err := p.plainLine(line, c)
		if err != nil {
			return nil, err
		}
		if len(parts) > 0 {
			if empty == 0 {
				parts = append(parts, " ")
			} else {
				parts = append(parts, strings.Repeat("\n", empty))
			}
		}
		parts = append(parts, text)
		p.i = line + 1
		if comment {
			break // a comment ends a plain scalar
		}
		// Look for a continuation line.
		empty = 0
		next := line + 1
		for next < len(p.lines) && strings.TrimSpace(p.lines[next]) == "" {
			empty++
			next++
		}
		if next >= len(p.lines) {
			break
		}
		nl := p.lines[next]
		ind, content := indentOf(nl)
		if !content || ind <= parent || marker(nl, "---") || marker(nl, "...") {
			break
		}
		if nl[ind] == '\t' {
			return nil, p.fail(next+1, ind+1, "a tab in indentation (indent with spaces)")
		}
		line, c = next, ind
	}
	n.value = strings.Join(parts, "")
	return n, p.checkPlain(n, col+1)
}

// checkPlain rejects a plain scalar the core schema reads as a float JSON
// cannot hold: infinity or not-a-number.
func (p *parser) checkPlain(n *node, col int) error {
	switch strings.TrimLeft(n.value, "+-") {
	case ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN":
		return p.fail(n.line, col, "%s is a number JSON cannot hold; quote it for a string", n.value)
	}
	return nil
}

// plainLine reads one line's part of a plain scalar in block context from
// column col: up to a comment or the end of the line, trimmed. A ": " in
// it is an error, as in YAML: a mapping cannot start there.
func (p *parser) plainLine(i, col int) (string, bool, error) {
	l := p.lines[i]
	end, comment := len(l), false
	for j := col; j < len(l); j++ {
		if l[j] == '#' && j > col && (l[j-1] == ' ' || l[j-1] == '\t') {
			end, comment = j, true
			break
		}
		if l[j] == ':' && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t') {
			return "", false, p.fail(i+1, j+1, "a mapping cannot start here (quote a value that holds \": \")")
		}
	}
	return strings.TrimRight(l[col:end], " \t"), comment, nil
}

// quoted parses a single- or double-quoted scalar starting at line i,
// column col, which may continue on later lines (folded as plain scalars
// are). It returns the scalar and the line and column after its closing
// quote.
func (p *parser) quoted(i, col int) (*node, int, int, error) {
	q := p.lines[i][col]
	n := &node{kind: scalar, line: i + 1}
	var b strings.Builder
	line, c := i, col+1
	for {
		l := p.lines[line]
		if c >= len(l) {
			// A line break inside the scalar: fold it, dropping the
			// white space around it.
			s := b.String()
			b.Reset()
			b.WriteString(strings.TrimRight(s, " \t"))
			empty := 0
			for {
				line++
				if line >= len(p.lines) {
					return nil, 0, 0, p.fail(i+1, col+1, "a quoted value without its closing %s", quote(q))
				}
				if marker(p.lines[line], "---") || marker(p.lines[line], "...") {
					return nil, 0, 0, p.fail(line+1, 1, "a document marker inside a quoted value")
				}
				if strings.TrimSpace(p.lines[line]) != "" {
					break
				}
				empty++
			}
			if empty == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString(strings.Repeat("\n", empty))
			}
			l = p.lines[line]
			c = len(l) - len(strings.TrimLeft(l, " \t"))
			continue
		}
		ch := l[c]
		switch {
		case ch == q && q == '\'':
			if c+1 < len(l) && l[c+1] == '\'' {
				b.WriteByte('\'')
				c += 2
				continue
			}
			n.value = b.String()
			return n, line, c + 1, nil
		case ch == q:
			n.value = b.String()
			return n, line, c + 1, nil
		case ch == '\\' && q == '"':
			if c+1 == len(l) {
				// An escaped line break: join the lines without a space.
				line++
				if line >= len(p.lines) {
					return nil, 0, 0, p.fail(i+1, col+1, "a quoted value without its closing %s", quote(q))
				}
				nl := p.lines[line]
				c = len(nl) - len(strings.TrimLeft(nl, " \t"))
				continue
			}
			r, size, err := p.escape(line, c)
			if err != nil {
				return nil, 0, 0, err
			}
			b.WriteString(r)
			c += size
		default:
			b.WriteByte(ch)
			c++
		}
	}
}

// escapes are the single-character escapes of double-quoted scalars.
var escapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
	'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// escape decodes the escape at line i, column c (a backslash), returning
// its text and its length in the input.
func (p *parser) escape(i, c int) (string, int, error) {
	l := p.lines[i]
	e := l[c+1]
	if s, ok := escapes[e]; ok {
		return s, 2, nil
	}
	digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
	if digits == 0 {
		return "", 0, p.fail(i+1, c+1, "unknown escape: \\ followed by %s", quote(e))
	}
	if c+2+digits > len(l) {
		return "", 0, p.fail(i+1, c+1, "\"\\%c\" needs %d hex digits", e, digits)
	}
	v, err := strconv.ParseUint(l[c+2:c+2+digits], 16, 32)
	if err != nil {
		return "", 0, p.fail(i+1, c+1, "\"\\%c\" needs %d hex digits", e, digits)
	}
	r := rune(v)
	if !utf8.ValidRune(r) {
		return "", 0, p.fail(i+1, c+1, "%q is not a Unicode character", l[c:c+2+digits])
	}
	return string(r), 2 + digits, nil
}

// blockScalar parses a literal (|) or folded (>) block scalar whose header
// is at line i, column col.
func (p *parser) blockScalar(i, col, parent int) (*node, error) {
	l := p.lines[i]
	literal := l[col] == '|'
	chomp, explicit := byte(0), 0
	j := col + 1
	for ; j < len(l) && l[j] != ' ' && l[j] != '\t'; j++ {
		switch c := l[j]; {
		case (c == '+' || c == '-') && chomp == 0:
			chomp = c
		case c >= '1' && c <= '9' && explicit == 0:
			explicit = int(c - '0')
		default:
			return nil, p.fail(i+1, j+1, "unexpected %s in a block scalar's header (want | or > with + or - and a digit 1-9)", quote(c))
		}
	}
	if err := p.trailing(i, j); err != nil {
		return nil, err
	}
	// The content's indentation: the indicator's, relative to the
	// parent's, or else the first non-empty line's.
	contentIndent, detected := parent+explicit, explicit > 0
	var texts []string // each content line, after the content indentation; "" for an empty one
	k := i + 1
	for ; k < len(p.lines); k++ {
		cl := p.lines[k]
		if marker(cl, "---") || marker(cl, "...") {
			break
		}
		ind := len(cl) - len(strings.TrimLeft(cl, " "))
		if strings.TrimLeft(cl, " ") == "" {
			if detected && ind > contentIndent {
				texts = append(texts, cl[contentIndent:])
			} else {
				texts = append(texts, "")
			}
			continue
		}
		if !detected {
			if ind <= parent {
				break
			}
			contentIndent, detected = ind, true
		}
		if ind < contentIndent {
			if ind > parent && strings.TrimSpace(cl)[0] != '#' {
				return nil, p.fail(k+1, ind+1, "a block scalar's line less indented than its first")
			}
			break
		}
		texts = append(texts, cl[contentIndent:])
	}
	p.i = k
	// Trailing empty lines are chomped, not content.
	last := len(texts)
	for last > 0 && texts[last-1] == "" {
		last--
	}
	trailingEmpty := len(texts) - last
	// Lines counted as trailing empty lines may lie beyond the scalar's
	// indentation; a following node starts after them either way.
	body := texts[:last]
	var out strings.Builder
	if literal {
		out.WriteString(strings.Join(body, "\n"))
	} else {
		prev, prevMore, empty := false, false, 0
		for _, t := range body {
			if t == "" {
				empty++
				continue
			}
			more := t[0] == ' ' || t[0] == '\t'
			switch {
			case !prev:
				out.WriteString(strings.Repeat("\n", empty))
			case !more && !prevMore && empty == 0:
				out.WriteByte(' ')
			case !more && !prevMore:
				out.WriteString(strings.Repeat("\n", empty))
			default:
				out.WriteString(strings.Repeat("\n", empty+1))
			}
			out.WriteString(t)
			prev, prevMore, empty = true, more, 0
		}
	}
	s := out.String()
	switch {
	case last == 0 && chomp != '+':
		s = ""
	case chomp == '-':
	case chomp == '+':
		s += strings.Repeat("\n", trailingEmpty+1)
		if last == 0 {
			s = strings.Repeat("\n", trailingEmpty)
		}
	default:
		s += "\n"
	}
	return &node{kind: scalar, line: i + 1, value: s}, nil
}

// cursor is a position in the input, for flow collections, which may
// span lines.
type cursor struct{ i, c int }

// at returns the byte at the cursor, or '\n' at the end of a line.
func (p *parser) at(k cursor) byte {
	if k.c < len(p.lines[k.i]) {
		return p.lines[k.i][k.c]
	}
	return '\n'
}

// space moves k past white space, line breaks and comments; ok is false
// at the end of the input.
func (p *parser) space(k cursor) (cursor, bool) {
	for {
		if k.i >= len(p.lines) {
			return k, false
		}
		l := p.lines[k.i]
		for k.c < len(l) && (l[k.c] == ' ' || l[k.c] == '\t') {
			k.c++
		}
		if k.c < len(l) && l[k.c] != '#' {
			return k, true
		}
		if k.c < len(l) && l[k.c] == '#' && k.c > 0 && l[k.c-1] != ' ' && l[k.c-1] != '\t' {
			return k, true
		}
		k = cursor{k.i + 1, 0}
		if k.i < len(p.lines) && (marker(p.lines[k.i], "---") || marker(p.lines[k.i], "...")) {
			return k, false
		}
	}
}

// flow parses a flow collection starting at line i, column col, and
// returns it with the line and column after its closing bracket.
func (p *parser) flow(i, col int) (*node, int, int, error) {
	n, k, err := p.flowNode(cursor{i, col})
	if err != nil {
		return nil, 0, 0, err
	}
	return n, k.i, k.c, nil
}

// flowNode parses one node of a flow collection at k.
func (p *parser) flowNode(k cursor) (*node, cursor, error) {
	switch c := p.at(k); c {
	case '[', '{':
		if err := p.enter(k.i+1, k.c+1); err != nil {
			return nil, k, err
		}
		defer func() { p.depth-- }()
		closer := byte(']')
		n := &node{kind: sequence, line: k.i + 1}
		if c == '{' {
			closer, n.kind = '}', mapping
		}
		open := k
		k.c++
		for {
			var ok bool
			if k, ok = p.space(k); !ok {
				return nil, k, p.fail(open.i+1, open.c+1, "%s without its closing %s", quote(c), quote(closer))
			}
			if p.at(k) == closer {
				k.c++
				return n, k, nil
			}
			var item *node
			var err error
			if c == '{' {
				var key *node
				if key, k, err = p.flowScalar(k, true); err != nil {
					return nil, k, err
				}
				if k, ok = p.space(k); !ok {
					return nil, k, p.fail(open.i+1, open.c+1, "%s without its closing %s", quote(c), quote(closer))
				}
				switch p.at(k) {
				case ':':
					k.c++
					if k, ok = p.space(k); !ok {
						return nil, k, p.fail(open.i+1, open.c+1, "%s without its closing %s", quote(c), quote(closer))
					}
					if b := p.at(k); b == ',' || b == '}' {
						item = null(k.i + 1)
					} else if item, k, err = p.flowNode(k); err != nil {
						return nil, k, err
					}
				case ',', '}':
					item = null(key.line) // a key without a value
				default:
					return nil, k, p.fail(k.i+1, k.c+1, "expected \":\" after a key, found %s", quote(p.at(k)))
				}
				key.plain = false
				n.keys = append(n.keys, key)
				n.vals = append(n.vals, item)
			} else {
				if item, k, err = p.flowNode(k); err != nil {
					return nil, k, err
				}
				if k2, ok := p.space(k); ok && p.at(k2) == ':' {
					return nil, k, p.fail(k2.i+1, k2.c+1, "a mapping inside a flow sequence (\"[a: b]\") is not supported; write [{a: b}]")
				}
				n.items = append(n.items, item)
			}
			if k, ok = p.space(k); !ok {
				return nil, k, p.fail(open.i+1, open.c+1, "%s without its closing %s", quote(c), quote(closer))
			}
			switch p.at(k) {
			case ',':
				k.c++
			case closer:
			default:
				return nil, k, p.fail(k.i+1, k.c+1, "expected \",\" or %s, found %s", quote(closer), quote(p.at(k)))
			}
		}
	case ']', '}', ',':
		return nil, k, p.fail(k.i+1, k.c+1, "expected a value, found %s", quote(c))
	}
	return p.flowScalar(k, false)
}

// flowScalar parses a quoted or plain scalar inside a flow collection. A
// plain one ends at a flow indicator (, [ ] { }), a ":" before white
// space or a flow indicator, a comment, or the end of its line.
func (p *parser) flowScalar(k cursor, isKey bool) (*node, cursor, error) {
	switch p.at(k) {
	case '"', '\'':
		n, i, c, err := p.quoted(k.i, k.c)
		return n, cursor{i, c}, err
	case '[', '{':
		if isKey {
			return nil, k, p.fail(k.i+1, k.c+1, "a collection as a key is not supported")
		}
	case '-':
		if s := p.lines[k.i][k.c:]; seqEntry(s) {
			return nil, k, p.fail(k.i+1, k.c+1, "a block sequence entry inside a flow collection")
		}
	case '?':
		if s := p.lines[k.i][k.c:]; len(s) == 1 || s[1] == ' ' {
			return nil, k, p.fail(k.i+1, k.c+1, "complex keys (\"? \") are not supported")
		}
	}
	if err := p.indicator(k.i, k.c); err != nil {
		return nil, k, err
	}
	n := &node{kind: scalar, plain: true, line: k.i + 1}
	start := k
	l := p.lines[k.i]
	j := k.c
	for ; j < len(l); j++ {
		ch := l[j]
		if strings.IndexByte(",[]{}", ch) >= 0 ||
			ch == ':' && (j+1 == len(l) || strings.IndexByte(" \t,[]{}", l[j+1]) >= 0) ||
			ch == '#' && j > 0 && (l[j-1] == ' ' || l[j-1] == '\t') {
			break
		}
	}
	n.value = strings.TrimRight(l[k.c:j], " \t")
	k.c = j
	if n.value == "" {
		return nil, k, p.fail(start.i+1, start.c+1, "expected a value, found %s", quote(p.at(start)))
	}
	return n, k, p.checkPlain(n, start.c+1)
}

// quote quotes a byte of the input for a message: "," or "\n" (the end
// of a line).
func quote(c byte) string {
	if c >= 0x80 {
		return fmt.Sprintf("byte 0x%02x", c)
	}
	return strconv.Quote(string(rune(c)))
}

// writer writes nodes as JSON, one mapping member or sequence element a
// line, noting the YAML line of each JSON line.
type writer struct {
	buf   []byte
	lines []int
}

func (w *writer) newline(line int) {
	w.buf = append(w.buf, '\n')
	w.lines = append(w.lines, max(line, w.lines[len(w.lines)-1]))
}

func (w *writer) node(n *node) {
	switch n.kind {
	case mapping:
		if len(n.keys) == 0 {
			w.buf = append(w.buf, "{}"...)
			return
		}
		w.buf = append(w.buf, '{')
		for i, k := range n.keys {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.newline(k.line)
			w.buf = appendString(w.buf, k.value)
			w.buf = append(w.buf, ": "...)
			w.node(n.vals[i])
		}
		w.newline(0)
		w.buf = append(w.buf, '}')
	case sequence:
		if len(n.items) == 0 {
			w.buf = append(w.buf, "[]"...)
			return
		}
		w.buf = append(w.buf, '[')
		for i, it := range n.items {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.newline(it.line)
			w.node(it)
		}
		w.newline(0)
		w.buf = append(w.buf, ']')
	default:
		if n.plain {
			if v, ok := typed(n.value); ok {
				w.buf = append(w.buf, v...)
				return
			}
		}
		w.buf = appendString(w.buf, n.value)
	}
}

// typed returns the JSON of a plain scalar the YAML 1.2 core schema reads
// as null, a boolean or a number, and false for a string. A float JSON
// cannot hold (.inf, .nan) has been rejected (checkPlain).
func typed(s string) (string, bool) {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return "null", true
	case "true", "True", "TRUE":
		return "true", true
	case "false", "False", "FALSE":
		return "false", true
	}
	if v, ok := integer(s); ok {
		return v, true
	}
	if v, ok := float(s); ok {
		return v, true
	}
	return "", false
}

// integer reads the core schema's integers: [-+]?[0-9]+, 0o[0-7]+ and
// 0x[0-9a-fA-F]+, as a JSON integer.
func integer(s string) (string, bool) {
	base, digits := 10, s
	switch {
	case strings.HasPrefix(s, "0o"):
		base, digits = 8, s[2:]
	case strings.HasPrefix(s, "0x"):
		base, digits = 16, s[2:]
	}
	neg := false
	if base == 10 && digits != "" && (digits[0] == '-' || digits[0] == '+') {
		neg, digits = digits[0] == '-', digits[1:]
	}
	if digits == "" {
		return "", false
	}
	for _, c := range digits {
		if !(c >= '0' && c <= '9' || base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) || base == 8 && c > '7' {
			return "", false
		}
	}
	v, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return "", false
	}
	if neg {
		v.Neg(v)
	}
	return v.String(), true
}

// float reads the core schema's floats, [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)
// ([eE][-+]?[0-9]+)?, as a JSON number with the same digits.
func float(s string) (string, bool) {
	rest, sign := s, ""
	if rest != "" && (rest[0] == '-' || rest[0] == '+') {
		if rest[0] == '-' {
			sign = "-"
		}
		rest = rest[1:]
	}
	digits := func(t string) int {
		n := 0
		for n < len(t) && t[n] >= '0' && t[n] <= '9' {
			n++
		}
		return n
	}
	n := digits(rest)
	intPart, rest := rest[:n], rest[n:]
	frac := ""
	if rest != "" && rest[0] == '.' {
		m := digits(rest[1:])
		frac, rest = rest[1:1+m], rest[1+m:]
		if intPart == "" && frac == "" {
			return "", false
		}
	} else if intPart == "" {
		return "", false
	}
	exp := ""
	if rest != "" && (rest[0] == 'e' || rest[0] == 'E') {
		e := rest[1:]
		if e != "" && (e[0] == '-' || e[0] == '+') {
			exp = e[:1]
			e = e[1:]
		}
		m := digits(e)
		if m == 0 {
			return "", false
		}
		exp, rest = "e"+exp+e[:m], e[m:]
	}
	if rest != "" {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := sign + intPart
	if frac != "" {
		out += "." + frac
	}
	return out + exp, true
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
