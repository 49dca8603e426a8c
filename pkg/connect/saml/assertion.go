package saml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The attributes AWS reads from an assertion.
const (
	AttrRole            = "https://aws.amazon.com/SAML/Attributes/Role"
	AttrRoleSessionName = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	AttrSessionDuration = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
)

// ErrNoRoles is returned (wrapped) for an assertion that grants no AWS role.
var ErrNoRoles = errors.New("the SAML assertion grants no AWS role")

// Role is one value of the Role attribute: the role and the IAM SAML
// provider that trusts the IdP.
type Role struct {
	RoleARN      string `json:"roleArn"`
	PrincipalARN string `json:"principalArn"`
}

// Account is the role's account id.
func (r Role) Account() string {
	parts := strings.SplitN(r.RoleARN, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// Name is the role's name (the last part of its path).
func (r Role) Name() string {
	_, name, _ := strings.Cut(r.RoleARN, ":role/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// Assertion is what an IdP's SAMLResponse says for AWS.
type Assertion struct {
	Roles []Role
	// SessionName is RoleSessionName (empty when absent).
	SessionName string
	// SessionDuration is SessionDuration (0 when absent).
	SessionDuration time.Duration
}

// ParseAssertion reads the roles, session name and duration of a base64
// SAMLResponse. Role values come as "role,provider" or "provider,role".
// It checks no signature: AWS does that, and an answer is only as good as
// what STS accepts.
func ParseAssertion(samlResponse string) (Assertion, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(samlResponse))
	if err != nil {
		return Assertion{}, errors.New("the SAMLResponse is not base64")
	}
	var a Assertion
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var attr string // the Name of the Attribute we are in
	var value *strings.Builder
	var status string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Assertion{}, errors.New("the SAMLResponse is not XML")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "EncryptedAssertion":
				return Assertion{}, errors.New("the SAML assertion is encrypted: kcc-connect reads the roles from it, so the IdP's AWS application must not encrypt it")
			case "StatusCode":
				if status == "" {
					status = attrValue(t, "Value")
				}
			case "Attribute":
				attr = attrValue(t, "Name")
			case "AttributeValue":
				if attr != "" {
					value = &strings.Builder{}
				}
			}
		case xml.CharData:
			if value != nil {
				value.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "Attribute":
				attr = ""
			case "AttributeValue":
				if value != nil {
					a.add(attr, strings.TrimSpace(value.String()))
					value = nil
				}
			}
		}
	}
	if status != "" && !strings.HasSuffix(status, ":Success") {
		return Assertion{}, fmt.Errorf("the identity provider answered SAML status %s", status)
	}
	if len(a.Roles) == 0 {
		return Assertion{}, fmt.Errorf("%w (no %s attribute): ask the IdP's admin to map your AWS roles", ErrNoRoles, AttrRole)
	}
	return a, nil
}

func (a *Assertion) add(name, v string) {
	switch name {
	case AttrRole:
		if r, ok := parseRole(v); ok {
			for _, have := range a.Roles {
				if have == r {
					return
				}
			}
			a.Roles = append(a.Roles, r)
		}
	case AttrRoleSessionName:
		a.SessionName = v
	case AttrSessionDuration:
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			a.SessionDuration = time.Duration(n) * time.Second
		}
	}
}

// parseRole reads "role,provider" in either order.
func parseRole(v string) (Role, bool) {
	first, second, ok := strings.Cut(v, ",")
	if !ok {
		return Role{}, false
	}
	first, second = strings.TrimSpace(first), strings.TrimSpace(second)
	if strings.Contains(first, ":saml-provider/") {
		first, second = second, first
	}
	if !strings.Contains(first, ":role/") || !strings.Contains(second, ":saml-provider/") {
		return Role{}, false
	}
	return Role{RoleARN: first, PrincipalARN: second}, true
}

func attrValue(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// ChooseRoles narrows the assertion's roles to roleARN (an error when the
// assertion does not grant it) or, with filter, to those whose ARN contains
// it.
func ChooseRoles(roles []Role, roleARN, filter string) ([]Role, error) {
	if roleARN != "" {
		for _, r := range roles {
			if r.RoleARN == roleARN {
				return []Role{r}, nil
			}
		}
		return nil, fmt.Errorf("--role-arn %s is not among the roles the SAML assertion grants (%s)", roleARN, roleList(roles))
	}
	if filter == "" {
		return roles, nil
	}
	var out []Role
	for _, r := range roles {
		if strings.Contains(r.RoleARN, filter) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--role-filter %q matches none of the roles the SAML assertion grants (%s)", filter, roleList(roles))
	}
	return out, nil
}

func roleList(roles []Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.RoleARN
	}
	return strings.Join(names, ", ")
}
