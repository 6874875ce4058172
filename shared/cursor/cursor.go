// Package cursor owns pagination cursors: the position of a page (a
// DynamoDB key) sealed with AES-GCM under a key from the configuration, bound
// to the query it belongs to. A forged, altered or foreign cursor fails to
// open and answers 400.
package cursor

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"ohcs/shared/problem"
)

// KeySize is the size of a sealing key, in bytes (AES-256).
const KeySize = 32

// Sealer seals and opens cursors.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a sealer for a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("cursor key: %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("cursor key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("cursor key: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal returns an opaque cursor for position, bound to scope: the operation,
// the caller and the filters of the query, so that the cursor opens only for
// the same query.
func (s *Sealer) Seal(scope string, position map[string]string) (string, error) {
	plain, err := json.Marshal(position)
	if err != nil {
		return "", fmt.Errorf("seal cursor: %w", err)
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal cursor: %w", err)
	}
	sealed := s.aead.Seal(nonce, nonce, plain, []byte(scope))
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open returns the position sealed in token for scope, or an Invalid error
// naming the field "cursor".
func (s *Sealer) Open(scope, token string) (map[string]string, error) {
	bad := problem.Field("cursor", "is not a cursor of this query")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return nil, bad
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(scope))
	if err != nil {
		return nil, bad
	}
	var position map[string]string
	if err := json.Unmarshal(plain, &position); err != nil || len(position) == 0 {
		return nil, bad
	}
	return position, nil
}
