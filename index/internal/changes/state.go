// Package changes finds what a sync must do: the state the index holds
// (each post's slug, file and content hash), a scan of the content folder
// or of the files a watcher reported, parsing only what the stat cache
// cannot vouch for, and the diff between the two (Compare): posts to
// write, slugs to delete, renames. It reads files, never the index.
package changes

// DocState is what a sync needs to know about one indexed post: where it
// came from and which bytes it was made from.
type DocState struct {
	File string
	Hash string
}

// State maps each indexed slug to its DocState.
type State map[string]DocState

// ByFile inverts the state: file -> slug.
func (st State) ByFile() map[string]string {
	m := make(map[string]string, len(st))
	for slug, d := range st {
		m[d.File] = slug
	}
	return m
}
