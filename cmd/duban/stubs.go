package main

import "context"

func runServe(ctx context.Context, env *Env, args []string) error     { return nil }
func runShell(ctx context.Context, env *Env, args []string) error     { return nil }
func runDigest(ctx context.Context, env *Env, args []string) error    { return nil }
func runReminders(ctx context.Context, env *Env, args []string) error { return nil }
