// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title StvTreasury: the minimal per-token treasury of stv3.md §2.2 and §7 design choice 5.
/// @dev Holds issued-but-undistributed supply. The token moves that supply through its own ledger
///      (`transferFromTreasury`, `redeem`), so the treasury needs no approvals; only the token may
///      move other ERC-20s (e.g. payment tokens) out of it.
contract StvTreasury {
    using SafeERC20 for IERC20;

    error OnlyToken(address caller);

    address public immutable token;

    constructor(address token_) {
        require(token_.code.length > 0, "StvTreasury: token is not a contract");
        token = token_;
    }

    function withdrawERC20(IERC20 erc20, address to, uint256 amount) external {
        if (msg.sender != token) revert OnlyToken(msg.sender);
        erc20.safeTransfer(to, amount);
    }
}
