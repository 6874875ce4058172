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
	"errors"
	"fmt"
	"sync"

	"ohcs/shared/problem"
)

// KeySize is the size of a sealing key, in bytes (AES-256).
const KeySize = 32

// Sealer seals and opens cursors.
type Sealer struct {
	aead cipher.AEAD
	// load, for a sealer made by NewLazySealer, reads the key on first
	// use; a failed read is tried again by the next use.
	mu   sync.Mutex
	load func() ([]byte, error)
}

// NewLazySealer returns a sealer whose key load reads when a cursor is
// first sealed or opened: a function that never pages never reads it
// (the key lives in a secret, and reading it at start is a round trip of
// every cold start). While the key cannot be read, sealing and opening
// answer Unavailable.
func NewLazySealer(load func() ([]byte, error)) *Sealer {
	return &Sealer{load: load}
}

// ready returns the AEAD, reading the key first if it is not read yet.
func (s *Sealer) ready() (cipher.AEAD, error) {
	if s == nil {
		// A defect, not the client's: a function that pages was built
		// without its cursor key (lambdahttp.Main's cursors).
		return nil, errors.New("cursor: no cursor key: this function was built without one")
	}
	if s.load == nil {
		return s.aead, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aead == nil {
		key, err := s.load()
		if err == nil {
			var k *Sealer
			if k, err = NewSealer(key); err == nil {
				s.aead = k.aead
			}
		}
		if err != nil {
			return nil, problem.Wrap(problem.Unavailable, err, "the list cannot be paged right now, retry later")
		}
	}
	return s.aead, nil
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
	aead, err := s.ready()
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(position)
	if err != nil {
		return "", fmt.Errorf("seal cursor: %w", err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal cursor: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, plain, []byte(scope))
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open returns the position sealed in token for scope, or an Invalid error
// naming the field "cursor".
func (s *Sealer) Open(scope, token string) (map[string]string, error) {
	aead, err := s.ready()
	if err != nil {
		return nil, err
	}
	bad := problem.Field("cursor", "is not a cursor of this query")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return nil, bad
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, raw[:n], raw[n:], []byte(scope))
	if err != nil {
		return nil, bad
	}
	var position map[string]string
	if err := json.Unmarshal(plain, &position); err != nil || len(position) == 0 {
		return nil, bad
	}
	return position, nil
}
