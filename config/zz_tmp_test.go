package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTmpFixtures(t *testing.T) {
	files, _ := filepath.Glob("../__tests__/fixtures/*.yaml")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		c, err := Load(strings.NewReader(string(data)))
		fmt.Println("==", f)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(strings.Join(CapacitySummary(c), "\n"))
	}
}
