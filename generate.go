package main

// Code generation, in order: ent (and the GraphQL SDL from entgql), then gqlgen, which reads that SDL.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate
