// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStoboxDID} from "../interfaces/IStoboxDID.sol";
import {IValidationRule} from "../interfaces/IValidationRule.sol";

/// @title HasDIDRule: each non-exempt side must have a DID that exists, is not expired and not blocked.
/// @dev stv3.md §4.3 and §7 row 12. The registry's `getUserDID` reverts for an unknown wallet; that is
///      caught here and reported as `NotValidDIDOf`, so the token's views can stay non-reverting.
contract HasDIDRule is IValidationRule {
    error NotValidDIDOf(address account);

    IStoboxDID public immutable didRegistry;

    constructor(IStoboxDID registry) {
        require(address(registry).code.length > 0, "HasDIDRule: registry is not a contract");
        didRegistry = registry;
    }

    function validate(address from, address to, uint256) external view {
        if (from != address(0) && !hasValidDID(from)) revert NotValidDIDOf(from);
        if (to != address(0) && !hasValidDID(to)) revert NotValidDIDOf(to);
    }

    function description() external pure returns (string memory) {
        return "HasDIDRule: sender and receiver must hold a StoboxDID that exists, is not expired and is not blocked";
    }

    /// @notice Never reverts.
    function hasValidDID(address account) public view returns (bool) {
        try didRegistry.getUserDID(account) returns (string memory, uint256 validTo, uint256, bool blocked, address) {
            return validTo > block.timestamp && !blocked;
        } catch {
            return false;
        }
    }
}
