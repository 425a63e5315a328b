// Package facade maps OneRoster REST requests (1.1 under /ims/oneroster/v1p1, 1.2 under
// /ims/oneroster/{rostering,gradebook,resources}/v1p2) onto the same query layer the GraphQL resolvers use,
// after the OAuth 2 token checks of package oauth. It renders OneRoster envelopes and errors exactly as
// each version defines them. (The endpoints arrive with the REST API issue.)
package facade
