// schemas.cpp - the fs plugin's schemas, kept apart from the code that
// follows them.
#include "schemas.hpp"

namespace seam_fs::schemas {

const char *const resource_schema = R"json({
  "type": "object",
  "properties": {
    "root": {
      "type": "string",
      "minLength": 1,
      "description": "an existing directory steps are confined to (relative: to where seam runs)"
    },
    "temp": {
      "type": "boolean",
      "description": "true: a new temporary directory, removed at the end"
    },
    "keep": {
      "type": "boolean",
      "default": false,
      "description": "leave temporary directories (temp, per_test) in place at the end"
    },
    "per_test": {
      "type": "boolean",
      "default": false,
      "description": "each test works in a directory of its own under the root, removed when it ends"
    }
  },
  "additionalProperties": false
})json";

const char *const path_only = R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "relative to the resource's root"
    }
  },
  "required": [
    "path"
  ],
  "additionalProperties": false
})json";

const char *const write_schema = R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "relative to the resource's root"
    },
    "text": {
      "type": "string",
      "description": "the content, as text"
    },
    "base64": {
      "type": "string",
      "description": "the content, base64-encoded bytes"
    },
    "json": {
      "description": "the content: any value, written as JSON"
    },
    "mode": {
      "type": "string",
      "pattern": "^0?[0-7]{3,4}$",
      "description": "permissions in octal, such as \"0644\""
    },
    "parents": {
      "type": "boolean",
      "default": true,
      "description": "create missing parent directories"
    },
    "append": {
      "type": "boolean",
      "default": false,
      "description": "add to the end of the file"
    }
  },
  "required": [
    "path"
  ],
  "additionalProperties": false
})json";

const char *const read_schema = R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "relative to the resource's root"
    },
    "as": {
      "enum": [
        "text",
        "json",
        "csv",
        "base64",
        "none"
      ],
      "default": "text",
      "description": "text, json (parsed), csv (rows), base64 (bytes), none (facts only)"
    },
    "csv": {
      "type": "object",
      "properties": {
        "header": {
          "type": "boolean",
          "default": true,
          "description": "the first record names the columns"
        },
        "delimiter": {
          "type": "string",
          "minLength": 1,
          "maxLength": 1,
          "default": ",",
          "description": "the field separator"
        }
      },
      "additionalProperties": false
    }
  },
  "required": [
    "path"
  ],
  "additionalProperties": false
})json";

const char *const read_output = R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "description": "relative to the root"
    },
    "absolute": {
      "type": "string",
      "description": "the real path"
    },
    "type": {
      "type": "string",
      "description": "file, directory or other"
    },
    "size": {
      "type": "integer",
      "description": "bytes"
    },
    "mode": {
      "type": "string",
      "description": "permissions in octal, e.g. \"0644\""
    },
    "mtime": {
      "type": "string",
      "description": "last modification, ISO 8601 UTC"
    },
    "mtime_ms": {
      "type": "integer",
      "description": "the same, in milliseconds since 1970"
    },
    "text": {
      "type": "string",
      "description": "with as = \"text\""
    },
    "json": {
      "description": "with as = \"json\""
    },
    "rows": {
      "type": "array",
      "description": "with as = \"csv\": objects by header, or arrays"
    },
    "base64": {
      "type": "string",
      "description": "with as = \"base64\""
    },
    "digest": {
      "type": "string",
      "description": "sha256:HEX of the content (not with as = \"none\"), for fs.wait's since"
    }
  }
})json";

const char *const list_schema = R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "default": ".",
      "description": "the directory to list"
    },
    "glob": {
      "type": "string",
      "minLength": 1,
      "default": "*",
      "description": "a pattern names must match (fnmatch: * ? [...]); * skips dot files"
    },
    "recursive": {
      "type": "boolean",
      "default": false,
      "description": "list subdirectories too"
    }
  },
  "additionalProperties": false
})json";

const char *const remove_schema = R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "relative to the resource's root"
    },
    "recursive": {
      "type": "boolean",
      "default": false,
      "description": "remove a directory and all it holds"
    },
    "missing_ok": {
      "type": "boolean",
      "default": false,
      "description": "a missing file is not an error"
    }
  },
  "required": [
    "path"
  ],
  "additionalProperties": false
})json";

} // namespace seam_fs::schemas
