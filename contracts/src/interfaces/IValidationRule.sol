// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A validation rule linked to an STV3 token (`linkRule`, stv3.md §4.2-4.4).
/// @dev The token calls `validate` for every balance change that goes through the pipeline. A zero
///      `from` or `to` means that side is exempt (trusted by the token, or the mint/burn side).
interface IValidationRule {
    /// @notice Reverts with a rule-specific custom error when the transfer is not allowed.
    function validate(address from, address to, uint256 amount) external view;

    /// @notice Human-readable description, surfaced by the token's `ruleDescription(rule)`.
    function description() external view returns (string memory);
}
