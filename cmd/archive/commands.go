package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is a subcommand: archive [flags] NAME [its flags] [arguments].
type command struct {
	run     func(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error
	summary string
}

// commands is the table of subcommands, selected by the first argument
// that is not a flag.
func commands() map[string]command {
	return map[string]command{
		"check":       {runCheck, "lint the content folder"},
		"new":         {runNew, "write a new post skeleton"},
		"import":      {runImport, "turn old pages, feeds and exports into posts"},
		"eval":        {runEval, "measure the ranking on a test collection"},
		"pack":        {runPack, "write the serving build into one file"},
		"unpack":      {runUnpack, "install a packed build and make it current"},
		"healthcheck": {runHealthcheck, "ask a running archive whether it is up"},
	}
}

func runCommand(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	cmds := commands()
	name := cfg.args[0]
	c, ok := cmds[name]
	if !ok {
		names := make([]string, 0, len(cmds))
		for n := range cmds {
			names = append(names, n)
		}
		sort.Strings(names)
		return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q; the commands are %s (see -h)", name, strings.Join(names, ", "))}
	}
	if cfg.reindex || cfg.watch {
		return &exitError{code: 2, msg: fmt.Sprintf("-reindex and -watch do not go with the %s command", name)}
	}
	return c.run(ctx, cfg, cfg.args[1:], stdout, stderr)
}
