package check

import (
	"bufio"
	"bytes"
	"io/fs"
	"regexp"
	"strings"
)

// keyLine is the line of a front-matter key in file, or 0 when it is not
// there.
func keyLine(fsys fs.FS, file, key string) int {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return 0
	}
	re := regexp.MustCompile(`(?i)^\s*` + regexp.QuoteMeta(key) + `\s*[:=]`)
	sc := bufio.NewScanner(bytes.NewReader(data))
	delims := 0
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimPrefix(sc.Text(), "\ufeff")
		if t := strings.TrimSpace(line); t == "---" || t == "+++" {
			if delims++; delims == 2 {
				break
			}
			continue
		}
		if re.MatchString(line) {
			return n
		}
	}
	return 0
}
