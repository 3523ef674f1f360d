// Package kms creates the customer-managed KMS keys eksready encrypts with:
// Kubernetes secrets, control-plane logs and node volumes each get their
// own key, so a key policy never grants more than one job needs.
package kms

import (
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/jsonvalue"

	"github.com/eksready/eksready/constructs/account"
)

// Statement is one IAM policy statement, rendered with jsonencode so
// tokens (role ARNs, account IDs) inside it resolve at plan time.
type Statement map[string]any

// KeyConfig describes one key.
type KeyConfig struct {
	// Account supplies the root principal and partition.
	Account *account.Account
	// Alias becomes "alias/<Alias>".
	Alias string
	// Description says what the key protects.
	Description string
	// DeletionWindowDays is the wait (7–30) before a scheduled deletion.
	DeletionWindowDays int
	// Statements grant use of the key beyond the account root's
	// administration, which every key has.
	Statements []Statement
	// DependsOn are resources the policy's principals need to exist first
	// (KMS rejects a policy naming a principal that does not exist).
	DependsOn []cdktf.ITerraformDependable
}

// Key is a KMS key with rotation on and its alias.
type Key struct {
	// Resource is the aws_kms_key.
	Resource kmskey.KmsKey
	// Arn is the key's ARN.
	Arn *string
	// Alias is the aws_kms_alias.
	Alias kmsalias.KmsAlias
}

var aliasRe = regexp.MustCompile(`^[a-zA-Z0-9/_-]+$`)

// Validate checks what callers pass before any resource is declared.
func (c KeyConfig) Validate() error {
	if c.Account == nil {
		return fmt.Errorf("kms key %q: account is required", c.Alias)
	}
	if !aliasRe.MatchString(c.Alias) || len(c.Alias) > 250 {
		return fmt.Errorf("kms key alias %q: letters, digits, '/', '_' and '-' only", c.Alias)
	}
	if c.DeletionWindowDays < 7 || c.DeletionWindowDays > 30 {
		return fmt.Errorf("kms key %q: deletion window %d outside 7–30 days", c.Alias, c.DeletionWindowDays)
	}
	return nil
}

// NewKey creates the key, with rotation on, and its alias.
func NewKey(scope constructs.Construct, id string, cfg KeyConfig) *Key {
	if err := cfg.Validate(); err != nil {
		// Callers derive this from validated configuration.
		panic(err)
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	statements := append([]Statement{{
		"Sid":       "AccountRootAdministers",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": cfg.Account.RootArn()},
		"Action":    "kms:*",
		"Resource":  "*",
	}}, cfg.Statements...)
	key := kmskey.NewKmsKey(scope, jsii.String("key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String(cfg.Description),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(cfg.DeletionWindowDays),
		Policy: jsonvalue.String(map[string]any{
			"Version":   "2012-10-17",
			"Statement": statements,
		}),
		DependsOn: dependsOn(cfg.DependsOn),
	})
	alias := kmsalias.NewKmsAlias(scope, jsii.String("alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String("alias/" + cfg.Alias),
		TargetKeyId: key.KeyId(),
	})
	return &Key{Resource: key, Arn: key.Arn(), Alias: alias}
}

// dependsOn is nil for an empty list, so no empty depends_on is rendered.
func dependsOn(deps []cdktf.ITerraformDependable) *[]cdktf.ITerraformDependable {
	if len(deps) == 0 {
		return nil
	}
	return &deps
}
