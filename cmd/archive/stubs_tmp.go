package main

import (
	"context"
	"io"
)

func runCheck(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error  { return nil }
func runNew(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error    { return nil }
func runImport(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error { return nil }
