package llm

// SharesEndpoint reports whether two clients send to one endpoint (one
// concurrency limit).
func SharesEndpoint(a, b *Client) bool {
	return a.eps[ProviderOpenAI] != nil && a.eps[ProviderOpenAI] == b.eps[ProviderOpenAI]
}
