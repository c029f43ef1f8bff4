package render

import "strings"

// inline copies one line, rewriting emoji shortcodes and @[youtube](ID)
// embeds in prose and making $$ math inert. Code spans are copied as they
// are. Math may span lines, so its state lives in the preprocessor.
func (p *preprocessor) inline(line string) {
	if !p.math && !strings.ContainsAny(line, ":@$`") {
		p.out.WriteString(line)
		return
	}
	for i := 0; i < len(line); {
		if !p.math {
			// Copy plain prose in one go up to the next byte of interest.
			j := strings.IndexAny(line[i:], ":@$`")
			if j < 0 {
				p.out.WriteString(line[i:])
				return
			}
			p.out.WriteString(line[i : i+j])
			i += j
		}
		i += p.inlineAt(line, i)
	}
}

// inlineAt handles the construct starting at line[i] and returns how many
// bytes it consumed.
func (p *preprocessor) inlineAt(line string, i int) int {
	rest := line[i:]
	if p.math {
		if strings.HasPrefix(rest, "$$") {
			p.math = false
			p.out.WriteString("$$")
			return 2
		}
		p.writeInert(rest[0])
		return 1
	}
	switch rest[0] {
	case '`':
		return p.codeSpan(rest)
	case '$':
		if strings.HasPrefix(rest, "$$") {
			p.math = p.mathCloses(rest[2:])
			p.out.WriteString("$$")
			return 2
		}
	case ':':
		return p.emoji(line, i)
	case '@':
		return p.mediaEmbed(rest)
	}
	p.out.WriteByte(rest[0])
	return 1
}

// mathCloses reports whether a $$ opened just before rest is closed, on
// this line or before the next blank line. A lone "$$" (a price, a typo)
// must not make the rest of the post inert.
func (p *preprocessor) mathCloses(rest string) bool {
	if strings.Contains(rest, "$$") {
		return true
	}
	for _, line := range p.lines[p.next:] {
		if strings.TrimSpace(line) == "" {
			return false
		}
		if strings.Contains(line, "$$") {
			return true
		}
	}
	return false
}

// writeInert backslash-escapes ASCII punctuation so that LaTeX such as
// a_i*b_i or \{x\} reaches the page exactly as written instead of turning
// into emphasis or losing its backslashes.
func (p *preprocessor) writeInert(c byte) {
	if isASCIIPunct(c) {
		p.out.WriteByte('\\')
	}
	p.out.WriteByte(c)
}

func isASCIIPunct(c byte) bool {
	return '!' <= c && c <= '/' || ':' <= c && c <= '@' || '[' <= c && c <= '`' || '{' <= c && c <= '~'
}

// codeSpan copies a backtick code span whole, or a lone run of backticks
// that opens nothing.
func (p *preprocessor) codeSpan(rest string) int {
	n := codeSpanLen(rest)
	p.out.WriteString(rest[:n])
	return n
}

// emoji replaces a known :shortcode: with its character. The colon must
// not follow a letter, digit or slash, so times (10:30:00), ports and URLs
// stay as they are.
func (p *preprocessor) emoji(line string, i int) int {
	if i > 0 && (isAlnum(line[i-1]) || line[i-1] == '/') {
		p.out.WriteByte(':')
		return 1
	}
	end := i + 1
	for end < len(line) && isEmojiNameByte(line[end]) {
		end++
	}
	if end < len(line) && line[end] == ':' && end > i+1 {
		if e, ok := emojiTable[line[i+1:end]]; ok {
			p.out.WriteString(e)
			return end + 1 - i
		}
	}
	p.out.WriteByte(':')
	return 1
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isEmojiNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '+' || c == '-'
}

// mediaEmbed expands markdown-it-video's @[youtube](ID) and @[vimeo](ID).
func (p *preprocessor) mediaEmbed(rest string) int {
	for _, kind := range []string{"youtube", "vimeo"} {
		prefix := "@[" + kind + "]("
		if !strings.HasPrefix(rest, prefix) {
			continue
		}
		end := closingParen(rest[len(prefix):])
		if end < 0 {
			break
		}
		id := strings.TrimSpace(rest[len(prefix) : len(prefix)+end])
		p.out.WriteString(embedHTML(kind, videoID(id)))
		p.block = true
		return len(prefix) + end + 1
	}
	p.out.WriteByte('@')
	return 1
}

// closingParen returns the index of the ")" that closes an already opened
// parenthesis, or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// videoID accepts a bare id or a full watch URL, as markdown-it-video does.
func videoID(s string) string {
	if i := strings.Index(s, "v="); i >= 0 {
		s = s[i+2:]
		if j := strings.IndexAny(s, "&#"); j >= 0 {
			s = s[:j]
		}
	} else if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
