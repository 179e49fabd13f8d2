// Package timedx is an API client that does its requests with the
// http.Client its caller puts in it (acmez's acme.Client.HTTPClient):
// whether a request can last forever depends on that client.
package timedx

import "net/http"

// Client does requests with HTTPClient.
type Client struct {
	HTTPClient *http.Client
}

// Fetch gets url.
func (c *Client) Fetch(url string) error {
	resp, err := c.HTTPClient.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
