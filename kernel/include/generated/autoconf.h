/*
 * Automatically generated file; DO NOT EDIT.
 * FAIL_RMI
 */
#define CONFIG_FAIL_RMI 1
#define CONFIG_ARM64 1
#define CONFIG_FAULT_INJECTION_DEBUG_FS 1
